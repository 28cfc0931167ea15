package dev.flusso.postgres;

import static dev.flusso.postgres.Fixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Operation;
import dev.flusso.api.TableRef;
import dev.flusso.core.Engine;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.InMemorySink;
import dev.flusso.testing.SinkStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The real engine over this builder, a capture that snapshots through {@link KeysetPager} and streams scripted
 * changes of SQL run here, and an in-memory sink: after a backfill and after the live changes, the sink holds exactly
 * the documents the {@link Oracle} computes from the tables.
 */
class EngineEndToEndTest {

    private static final String SEED = """
            INSERT INTO parent VALUES (1, 'p1'), (2, 'p2'), (3, 'p3'), (4, 'p4'), (5, 'p5');
            INSERT INTO child VALUES (1, 1, 10), (2, 1, 20), (3, 2, 30), (4, 3, 40), (5, 3, 50), (6, 4, 60), (7, 5, 70);
            INSERT INTO grandchild VALUES (1, 1, 100), (2, 4, 200), (3, 4, 300);
            INSERT INTO tag VALUES (1, 't1'), (2, 't2'), (3, 't3');
            INSERT INTO parent_tag VALUES (1, 1), (1, 2), (2, 2), (3, 3);
            ANALYZE;
            """;

    @Test
    void backfillsThenFollowsInsertsUpdatesDeletesAndMovesToTheOraclesDocuments() {
        try (Fixture fixture = new Fixture(Oracle.DDL, Oracle.SCHEMA)) {
            fixture.database.execute(SEED);
            SinkStore store = new SinkStore();

            run(fixture, store, List.of());
            assertEquals(true, store.isSeeded(fixture.index()), "index '" + fixture.index() + "' seeded by the backfill");
            assertSinkMatchesOracle(fixture, store, "after the backfill");

            List<Change> script = script(fixture);
            ScriptedCapture capture = run(fixture, store, script);
            assertSinkMatchesOracle(fixture, store, "after " + script.size() + " live changes");
            assertEquals(Optional.of(new SinkStore.Entry(11, null)), store.entry(new DocumentId(fixture.index(), "4")),
                    "tombstone of the deleted parent 4, at the version of its deletion");
            assertEquals(Optional.of(new SinkStore.Entry(13, null)), store.entry(new DocumentId(fixture.index(), "2")),
                    "tombstone of parent 2, whose key became 7");
            List<?> confirmed = capture.confirmed();
            assertEquals(new ScriptedCapture.Lsn(script.size()), confirmed.get(confirmed.size() - 1),
                    "the last position the engine confirmed to the capture");
        }
    }

    private static ScriptedCapture run(Fixture fixture, SinkStore store, List<Change> script) {
        ScriptedCapture capture = new ScriptedCapture(PostgresConnections.dataSource(fixture.database.jdbcUrl()), 2, 0, script);
        PostgresDocumentBuilder builder = new PostgresDocumentBuilder(
                PostgresConnections.dataSource(fixture.database.jdbcUrl()), fixture.indexes);
        Engine.builder().capture(capture).documentBuilder(builder).sink(new InMemorySink(store, CrashPlan.never()))
                .batchPolicy(new BatchPolicy(4, Duration.ofMillis(20))).build().run();
        return capture;
    }

    private static void assertSinkMatchesOracle(Fixture fixture, SinkStore store, String when) {
        assertEquals(fixture.canonical(Oracle.documents(fixture.database)),
                fixture.canonical(store.documents().get(fixture.index())), "documents of the sink " + when);
    }

    /** Runs each statement and returns the changes a capture would report for them, versions 1, 2, … */
    private static List<Change> script(Fixture fixture) {
        List<Change> changes = new ArrayList<>();
        Script script = (sql, operation, table, key, before, after) -> {
            fixture.database.execute(sql);
            long version = changes.size() + 1;
            changes.add(new Change(operation, new TableRef("public", table), key, before, after, version,
                    new ScriptedCapture.Lsn(version)));
        };
        script.run("INSERT INTO parent VALUES (6, 'p6')", Operation.INSERT, "parent", values("id", 6), values(),
                values("id", 6, "name", "p6"));
        script.run("INSERT INTO child VALUES (8, 6, 80)", Operation.INSERT, "child", values("id", 8), values(),
                values("id", 8, "parent_id", 6, "v", 80));
        script.run("UPDATE child SET parent_id = 2 WHERE id = 1", Operation.UPDATE, "child", values("id", 1),
                values("id", 1, "parent_id", 1, "v", 10), values("id", 1, "parent_id", 2, "v", 10));
        script.run("UPDATE child SET v = 31 WHERE id = 3", Operation.UPDATE, "child", values("id", 3),
                values("id", 3, "parent_id", 2, "v", 30), values("id", 3, "parent_id", 2, "v", 31));
        script.run("DELETE FROM child WHERE id = 5", Operation.DELETE, "child", values("id", 5),
                values("id", 5, "parent_id", 3, "v", 50), values());
        script.run("INSERT INTO grandchild VALUES (4, 6, 400)", Operation.INSERT, "grandchild", values("id", 4), values(),
                values("id", 4, "child_id", 6, "w", 400));
        script.run("UPDATE grandchild SET w = 201 WHERE id = 2", Operation.UPDATE, "grandchild", values("id", 2),
                values("id", 2, "child_id", 4, "w", 200), values("id", 2, "child_id", 4, "w", 201));
        script.run("UPDATE tag SET name = 't2b' WHERE id = 2", Operation.UPDATE, "tag", values("id", 2),
                values("id", 2, "name", "t2"), values("id", 2, "name", "t2b"));
        script.run("INSERT INTO parent_tag VALUES (5, 1)", Operation.INSERT, "parent_tag", values("parent_id", 5, "tag_id", 1),
                values(), values("parent_id", 5, "tag_id", 1));
        script.run("DELETE FROM parent_tag WHERE parent_id = 1 AND tag_id = 1", Operation.DELETE, "parent_tag",
                values("parent_id", 1, "tag_id", 1), values("parent_id", 1, "tag_id", 1), values());
        script.run("DELETE FROM parent WHERE id = 4", Operation.DELETE, "parent", values("id", 4),
                values("id", 4, "name", "p4"), values());
        script.run("UPDATE parent SET name = 'p5b' WHERE id = 5", Operation.UPDATE, "parent", values("id", 5),
                values("id", 5, "name", "p5"), values("id", 5, "name", "p5b"));
        script.run("UPDATE parent SET id = 7 WHERE id = 2", Operation.UPDATE, "parent", values("id", 7),
                values("id", 2, "name", "p2"), values("id", 7, "name", "p2"));
        return changes;
    }

    /** One statement and the change it makes. */
    @FunctionalInterface
    private interface Script {
        void run(String sql, Operation operation, String table, Map<String, Object> key, Map<String, Object> before,
                Map<String, Object> after);
    }
}
