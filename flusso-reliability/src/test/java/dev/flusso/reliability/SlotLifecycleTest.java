package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios 17, 18 and 24: a slot the server invalidated, a table added to an index later, and a redelivery after
 * OpenSearch forgot the deletions' tombstones.
 */
class SlotLifecycleTest {

    /**
     * Scenario 17: while flusso is stopped the server removes WAL the slot still needs ({@code max_slot_wal_keep_size})
     * and invalidates it. The next run must say so, and rebuild every index, so that the rows changed and deleted
     * meanwhile, whose WAL is gone, are not missed.
     */
    @Test
    void anInvalidatedSlotIsReportedAndEveryIndexRebuilt() {
        PostgresServer server = PostgresServer.start(Map.of("max_slot_wal_keep_size", "1MB"));
        try (Scenario scenario = Scenario.of("slot/invalidated", server)) {
            Library.create(scenario, 300);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess first = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            assertEquals(0, first.stop(), scenario.describe() + ": SIGTERM ends flusso run with exit 0");

            scenario.database.execute("DELETE FROM authors WHERE id BETWEEN 10 AND 19", "UPDATE authors SET name = 'changed while stopped' WHERE id = 2",
                    "UPDATE books SET author_id = 3 WHERE author_id = 4");
            scenario.database.execute("CREATE TABLE filler (x text)");
            Waits.until("the server to invalidate the slot", Duration.ofSeconds(90), () -> {
                scenario.database.execute("INSERT INTO filler SELECT repeat('x', 2000) FROM generate_series(1, 10000)",
                        "TRUNCATE filler");
                scenario.queryText("SELECT pg_switch_wal()::text");
                scenario.database.execute("CHECKPOINT");
                return "lost".equals(scenario.queryText("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '"
                        + scenario.slot + "'"));
            });

            FlussoProcess again = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            assertTrue(again.logText().contains("invalidated") && again.logText().contains("max_slot_wal_keep_size"),
                    scenario.describe() + ": the run says the slot was invalidated and what to raise; log ends:\n" + again.logTail(15));
            scenario.database.execute("UPDATE authors SET name = 'live after the rebuild' WHERE id = 5");
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(60));
            assertEquals("reserved", scenario.queryText("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '"
                    + scenario.slot + "'"), scenario.describe() + ": the slot was made anew");
            again.stop();
            scenario.pass();
        } finally {
            server.stopAndRemove();
        }
    }

    /**
     * Scenario 18: the schema gains a many-to-many join over two tables no index read before. The next run extends
     * the publication, builds the index's new generation from a backfill, and streams the new tables' changes.
     */
    @Test
    void aTableAddedToAnIndexLaterIsPublishedBackfilledAndStreamed() {
        try (Scenario scenario = Scenario.of("index/table-added-later")) {
            Library.create(scenario, 200);
            scenario.write("authors.schema.yml", Library.SCHEMA.substring(0, Library.SCHEMA.indexOf("  - many_to_many: genres"))
                    + Library.SCHEMA.substring(Library.SCHEMA.indexOf("  - count: book_count")));
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess first = scenario.run();
            Oracle withoutGenres = scenario.oracle(Library.INDEX, Library.ORACLE_SQL.replaceAll(
                    "(?s)'genres', COALESCE\\(.*?'\\[]'::json\\),\\s*", ""));
            scenario.awaitConverged(withoutGenres, Duration.ofSeconds(120));
            assertEquals("0", publishedGenreTables(scenario), scenario.describe() + ": the genre tables are not published yet");
            first.stop();

            scenario.database.execute("UPDATE genres SET label = 'renamed while stopped' WHERE id = 3");
            scenario.write("authors.schema.yml", Library.SCHEMA);
            FlussoProcess again = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            assertEquals("2", publishedGenreTables(scenario), scenario.describe() + ": the publication was extended");
            scenario.database.execute("UPDATE genres SET label = 'renamed live' WHERE id = 4",
                    "INSERT INTO author_genres VALUES (1, 7), (2, 7)");
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(60));
            again.stop();
            scenario.pass();
        }
    }

    private static String publishedGenreTables(Scenario scenario) {
        return scenario.queryText("SELECT count(*)::text FROM pg_publication_tables WHERE pubname = '" + scenario.slot
                + "' AND tablename IN ('genres', 'author_genres')");
    }

    /**
     * Scenario 24: changes delivered again after OpenSearch dropped the tombstones of the documents they deleted
     * ({@code index.gc_deletes} set to 0 s). A copy of the slot taken before the changes replays all of them; since
     * documents are rebuilt from the current rows, an old update of a deleted row writes a deletion, not the old
     * document, and nothing deleted comes back.
     */
    @Test
    void aRedeliveryAfterTheTombstonesExpiredBringsNothingDeletedBack() {
        try (Scenario scenario = Scenario.of("opensearch/redelivery-after-gc-deletes")) {
            Library.create(scenario, 200);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess first = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            String copy = scenario.slot + "_replay";
            // Dropped with the scenario's own slot when the scenario closes: its name starts with it.
            scenario.queryText("SELECT slot_name::text FROM pg_copy_logical_replication_slot('" + scenario.slot + "', '" + copy + "')");
            assertEquals(200, scenario.search.http().put("/" + scenario.alias(Library.INDEX) + "/_settings",
                    "{\"index\": {\"gc_deletes\": \"0s\"}}").status(), "gc_deletes set to 0 s");
            for (int round = 0; round < 3; round++) {
                scenario.database.execute("UPDATE authors SET name = 'updated " + round + "' WHERE id BETWEEN 20 AND 59",
                        "UPDATE books SET title = 'retitled " + round + "' WHERE author_id BETWEEN 20 AND 59");
            }
            scenario.database.execute("DELETE FROM authors WHERE id BETWEEN 20 AND 59");
            String end = scenario.currentLsn();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(90));
            Waits.until("the slot to confirm the deletions", Duration.ofSeconds(30), () -> scenario.confirmedAtLeast(end));
            assertEquals(0, first.stop(), scenario.describe() + ": SIGTERM ends flusso run with exit 0");
            // Refresh and flush so that OpenSearch prunes the expired tombstones before the replay.
            scenario.search.http().post("/" + scenario.alias(Library.INDEX) + "/_refresh", "");
            scenario.search.http().post("/" + scenario.alias(Library.INDEX) + "/_flush?force=true", "");

            FlussoProcess replay = scenario.run("--slot", copy);
            String replayEnd = scenario.currentLsn();
            Waits.until("the replay to pass the deletions", Duration.ofSeconds(90), () -> "yes".equals(scenario.queryText(
                    "SELECT CASE WHEN confirmed_flush_lsn >= '" + replayEnd + "'::pg_lsn THEN 'yes' ELSE 'no' END"
                            + " FROM pg_replication_slots WHERE slot_name = '" + copy + "'")));
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(30));
            assertTrue(replay.logText().contains("resumes at"), scenario.describe() + ": the replay streamed from the copy's"
                    + " older position; log ends:\n" + replay.logTail(15));
            replay.stop();
            scenario.pass();
        }
    }
}
