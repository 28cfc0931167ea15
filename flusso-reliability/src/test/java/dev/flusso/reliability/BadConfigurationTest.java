package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad configuration and bad databases (scenario 16; 17 is in {@link SlotLifecycleTest}): a clear message naming the
 * thing at fault, a non-zero exit, and nothing confirmed or written.
 */
class BadConfigurationTest {

    /**
     * A table with no primary key (and no replica identity) is refused before the publication is touched: publishing
     * it would make PostgreSQL refuse the application's own UPDATE and DELETE on it. (flusso once accepted it.)
     */
    @Test
    void tableWithoutPrimaryKeyFailsClearlyAndConfirmsNothing() {
        try (Scenario scenario = Scenario.of("bad/table-without-primary-key")) {
            scenario.database.execute("CREATE TABLE keyless (id bigint NOT NULL, name text)", "INSERT INTO keyless VALUES (1, 'a')");
            scenario.write("keyless.schema.yml", "version: 1\ntable: keyless\nprimary_key: id\nfields:\n  - text: name\n");
            scenario.writeConfig("stop", "[[index]]\nname = \"keyless\"\nschema = \"keyless.schema.yml\"\n", "");
            FlussoProcess flusso = scenario.run();
            int code;
            try {
                code = flusso.awaitExit(Duration.ofSeconds(60));
            } catch (AssertionError e) {
                String update;
                try {
                    scenario.database.execute("UPDATE keyless SET name = 'b' WHERE id = 1");
                    update = "the application's UPDATE still works";
                } catch (IllegalStateException refused) {
                    update = "and the application's UPDATE now fails: " + refused.getMessage();
                }
                throw new AssertionError(scenario.describe() + ": flusso accepted a table without a primary key and still runs, "
                        + update, e);
            }
            String log = flusso.logText();
            assertNotEquals(0, code, scenario.describe() + ": a table without a primary key must fail the run; log:\n" + log);
            assertTrue(log.contains("keyless") && log.toLowerCase().contains("primary key"),
                    scenario.describe() + ": the message names the table and its missing primary key; log ends:\n" + flusso.logTail(10));
            assertNothingConfirmedOrWritten(scenario, "keyless");
            scenario.pass();
        }
    }

    @Test
    void walLevelNotLogicalFailsClearlyAndCreatesNothing() {
        PostgresServer server = PostgresServer.start(Map.of("wal_level", "replica"));
        try (Scenario scenario = Scenario.of("bad/wal-level-replica", server)) {
            Library.create(scenario, 10);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess flusso = scenario.run();
            int code = flusso.awaitExit(Duration.ofSeconds(120));
            assertNotEquals(0, code, scenario.describe() + ": wal_level = replica must fail the run");
            assertTrue(flusso.logText().contains("wal_level") && flusso.logText().contains("logical"),
                    scenario.describe() + ": the message names wal_level and what it needs; log ends:\n" + flusso.logTail(10));
            assertNull(scenario.confirmedLsn(), scenario.describe() + ": no slot is created");
            assertEquals(Map.of(), Oracle.readAll(scenario.search.http(), scenario.alias(Library.INDEX)),
                    scenario.describe() + ": nothing is written");
            scenario.pass();
        } finally {
            server.stopAndRemove();
        }
    }

    /**
     * Scenario 16: the slot dropped under a running flusso. It must stop with a clear message, never recreate the slot
     * silently (changes made meanwhile would be skipped); the next run creates it anew and re-backfills, and the index
     * converges, documents of rows deleted while no slot existed included.
     */
    @Test
    void slotDroppedWhileRunningStopsThenTheNextRunRebackfills() {
        try (Scenario scenario = Scenario.of("bad/slot-dropped-while-running")) {
            Library.create(scenario, 300);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            scenario.database.execute("UPDATE authors SET name = 'seen live' WHERE id = 1");
            Waits.until("the slot to be dropped", Duration.ofSeconds(30), () -> {
                scenario.queryText("SELECT count(pg_terminate_backend(active_pid)) FROM pg_replication_slots WHERE slot_name = '"
                        + scenario.slot + "' AND active_pid IS NOT NULL");
                try {
                    scenario.queryText("SELECT 1 FROM (SELECT pg_drop_replication_slot('" + scenario.slot + "')) d");
                } catch (IllegalStateException e) {
                    return false;
                }
                return scenario.confirmedLsn() == null;
            });
            // Changes while no slot exists: nothing can stream them, only a backfill finds them.
            scenario.database.execute("DELETE FROM authors WHERE id BETWEEN 10 AND 19", "UPDATE authors SET name = 'unseen' WHERE id = 2");
            int code = flusso.awaitExit(Duration.ofSeconds(120));
            assertNotEquals(0, code, scenario.describe() + ": a dropped slot must stop the run; log ends:\n" + flusso.logTail(10));
            assertTrue(flusso.logText().contains("dropped"), scenario.describe() + ": the message says the slot was dropped; log ends:\n"
                    + flusso.logTail(10));
            assertNull(scenario.confirmedLsn(), scenario.describe() + ": the slot is not silently recreated");

            FlussoProcess again = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            again.stop();
            scenario.pass();
        }
    }

    @Test
    void unknownConfigurationKeyFailsWithFileAndLine() {
        try (Scenario scenario = Scenario.of("bad/unknown-config-key")) {
            Library.create(scenario, 10);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "[batch2]\nmax_changes = 5\n");
            FlussoProcess flusso = scenario.run();
            int code = flusso.awaitExit(Duration.ofSeconds(60));
            assertEquals(3, code, scenario.describe() + ": a configuration error exits 3; log:\n" + flusso.logText());
            assertTrue(flusso.logText().contains("flusso.toml") && flusso.logText().contains("batch2"),
                    scenario.describe() + ": the message names the file and the key; log:\n" + flusso.logTail(10));
            assertNull(scenario.confirmedLsn(), scenario.describe() + ": nothing is created");
            scenario.pass();
        }
    }

    private static void assertNothingConfirmedOrWritten(Scenario scenario, String index) {
        assertEquals(Map.of(), Oracle.readAll(scenario.search.http(), scenario.alias(index)), scenario.describe() + ": nothing is written");
        // The table is refused before the slot is made, so a slot here would mean the refusal came too late.
        assertNull(scenario.confirmedLsn(), scenario.describe() + ": no slot is created, so nothing can be confirmed");
    }
}
