package dev.flusso.postgres;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.DocumentId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Build throughput for nested documents (parents × 5 children, a many-to-many and a count), beside one
 * hand-written {@code json_agg} query over the same rows. Not a timed test: it runs only when asked,
 * {@code mvn test -Dtest=BuildBenchmark -Dflusso.bench=true [-Dflusso.bench.parents=200000]}, and prints figures.
 */
class BuildBenchmark {

    private static final String SCHEMA = """
            version: 1
            table: parent
            primary_key: id
            fields:
              - text: name
              - has_many: children
                table: child
                primary_key: id
                foreign_key: parent_id
                fields:
                  - text: label
                  - integer: v
              - many_to_many: tags
                table: tag
                primary_key: id
                through:
                  table: parent_tag
                  left_key: parent_id
                  right_key: tag_id
                fields:
                  - keyword: name
              - count: child_count
                table: child
                foreign_key: parent_id
            """;

    private static final String HAND_WRITTEN = """
            SELECT p.id, json_build_object('name', p.name,
              'children', (SELECT coalesce(json_agg(json_build_object('label', c.label, 'v', c.v) ORDER BY c.id), '[]')
                           FROM child c WHERE c.parent_id = p.id),
              'tags', (SELECT coalesce(json_agg(json_build_object('name', t.name) ORDER BY t.id), '[]') FROM tag t
                       WHERE t.id IN (SELECT pt.tag_id FROM parent_tag pt WHERE pt.parent_id = p.id)),
              'child_count', (SELECT count(*) FROM child c WHERE c.parent_id = p.id))::text
            FROM parent p ORDER BY p.id
            """;

    @Test
    void measuresBuildThroughputAgainstAHandWrittenQuery() throws Exception {
        assumeTrue(Boolean.getBoolean("flusso.bench"), "run with -Dflusso.bench=true");
        int parents = Integer.getInteger("flusso.bench.parents", 200_000);
        String ddl = """
                CREATE TABLE parent (id int PRIMARY KEY, name text);
                CREATE TABLE child (id int PRIMARY KEY, parent_id int, label text, v int);
                CREATE INDEX ON child (parent_id);
                CREATE TABLE tag (id int PRIMARY KEY, name text);
                CREATE TABLE parent_tag (parent_id int, tag_id int, PRIMARY KEY (parent_id, tag_id));
                INSERT INTO parent SELECT i, 'parent ' || i FROM generate_series(1, %1$d) i;
                INSERT INTO child SELECT i, (i - 1) / 5 + 1, 'child ' || i, i %% 100 FROM generate_series(1, %1$d * 5) i;
                INSERT INTO tag SELECT i, 'tag ' || i FROM generate_series(1, 50) i;
                INSERT INTO parent_tag SELECT i, t FROM generate_series(1, %1$d) i, LATERAL (VALUES (i %% 50 + 1), ((i + 7) %% 50 + 1)) v(t);
                ANALYZE;
                """.formatted(parents);
        try (Fixture fixture = new Fixture(ddl, SCHEMA)) {
            List<DocumentId> ids = new ArrayList<>();
            for (int i = 1; i <= parents; i++) {
                ids.add(new DocumentId(fixture.index(), Integer.toString(i)));
            }
            long[] count = {0};
            BuildOutput out = new BuildOutput() {
                @Override
                public void document(DocumentId id, String source) {
                    count[0] += source.length() > 0 ? 1 : 0;
                }

                @Override
                public void deleted(DocumentId id) {
                }

                @Override
                public void failed(DocumentId id, String reason) {
                    throw new AssertionError(id + ": " + reason);
                }
            };
            fixture.builder.build(ids.subList(0, Math.min(2000, parents)), out); // warm up: catalog, plans, caches
            handWritten(fixture);
            count[0] = 0;
            long start = System.nanoTime();
            fixture.builder.build(ids, out);
            double builder = count[0] / ((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            long rows = handWritten(fixture);
            double query = rows / ((System.nanoTime() - start) / 1e9);
            System.out.printf("BuildBenchmark: %d parents x 5 children + many-to-many + count%n", parents);
            System.out.printf("  builder:            %,.0f docs/s%n", builder);
            System.out.printf("  hand-written query: %,.0f docs/s%n", query);
            System.out.printf("  ratio:              %.2f (target >= 0.8)%n", builder / query);
        }
    }

    private static long handWritten(Fixture fixture) throws Exception {
        try (Connection connection = fixture.database.connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(500);
                long rows = 0;
                try (ResultSet result = statement.executeQuery(HAND_WRITTEN)) {
                    while (result.next()) {
                        rows += result.getString(2).length() > 0 ? 1 : 0;
                    }
                }
                return rows;
            }
        }
    }
}
