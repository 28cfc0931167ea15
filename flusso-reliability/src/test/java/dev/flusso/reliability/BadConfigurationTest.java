package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.List;
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

    /**
     * Scenario 34: a schema the database does not fit (a column it lacks, an expression that fails, a table the role
     * may not read) stops the run before it creates anything, naming the schema's field or table; no metadata index,
     * generation, publication or slot is left behind. (flusso once created all four, then failed on raw SQL naming
     * an internal alias, leaving an inactive slot that held WAL.)
     */
    @Test
    void aSchemaTheDatabaseDoesNotFitStopsTheRunBeforeItCreatesAnything() {
        try (Scenario scenario = Scenario.of("bad/schema-does-not-fit")) {
            Library.create(scenario, 10);
            String role = scenario.slot + "_reader";
            scenario.database.execute("CREATE ROLE " + role + " LOGIN REPLICATION",
                    "GRANT SELECT ON authors, genres, author_genres TO " + role);
            try {
                String column = Library.SCHEMA.replace("      - integer: pages\n", "      - integer: pages\n      - text: nosuchcol\n");
                String expression = Library.SCHEMA.replace("version: 1\n", "version: 2\n").replace("  - text: name\n",
                        "  - text: name\n  - text: shout\n    expression: \"upper(nosuchcol)\"\n");
                record Case(String what, String schema, String user, List<String> named) {
                }
                for (Case fault : List.of(
                        new Case("a column the table lacks", column, "postgres", List.of("public.books", "nosuchcol")),
                        new Case("an expression that fails", expression, "postgres", List.of("field 'shout'", "nosuchcol")),
                        new Case("a table the role may not read", Library.SCHEMA, role,
                                List.of("permission denied for table books", "GRANT SELECT")))) {
                    scenario.write("authors.schema.yml", fault.schema());
                    scenario.writeConfig("stop", Library.INDEX_SECTION, "");
                    scenario.write("flusso.toml", read(scenario.folder.resolve("flusso.toml"))
                            .replace("postgres://postgres@", "postgres://" + fault.user() + "@"));
                    FlussoProcess flusso = scenario.run();
                    int code = flusso.awaitExit(Duration.ofSeconds(60));
                    String log = flusso.logText();
                    assertEquals(3, code, scenario.describe() + ", " + fault.what() + ": a configuration error; log:\n" + log);
                    for (String named : fault.named()) {
                        assertTrue(log.contains(named), scenario.describe() + ", " + fault.what() + ": the message names "
                                + named + "; log ends:\n" + flusso.logTail(10));
                    }
                    assertTrue(log.contains("nothing was created"), scenario.describe() + ": the message says nothing was"
                            + " created; log ends:\n" + flusso.logTail(10));
                    assertCreatedNothing(scenario, fault.what());
                }
            } finally {
                scenario.database.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
            }
            scenario.pass();
        }
    }

    /**
     * A port that is not a number is refused as the configuration error it is. (pgjdbc takes it for no port at all and
     * connects to localhost:5432, another server, logging a stray java.util.logging line.)
     */
    @Test
    void aPortThatIsNotANumberIsRefusedByName() {
        try (Scenario scenario = Scenario.of("bad/port-not-a-number")) {
            Library.create(scenario, 5);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            scenario.write("flusso.toml", read(scenario.folder.resolve("flusso.toml"))
                    .replaceFirst("127\\.0\\.0\\.1:[0-9]+/", "127.0.0.1:notaport/"));
            FlussoProcess flusso = scenario.run();
            int code = flusso.awaitExit(Duration.ofSeconds(60));
            String log = flusso.logText();
            assertEquals(3, code, scenario.describe() + ": a configuration error; log:\n" + log);
            assertTrue(log.contains("connection_url' has port 'notaport': expected a number from 1 to 65535"),
                    scenario.describe() + ": the message names the key and the port; log:\n" + log);
            assertFalse(log.contains("org.postgresql") || log.contains("localhost"),
                    scenario.describe() + ": no fallback to localhost, no driver log line; log:\n" + log);
            assertCreatedNothing(scenario, "a port that is not a number");
            scenario.pass();
        }
    }

    /** No slot, no publication, and no index of the scenario's prefix (generations, metadata, dead letters). */
    private static void assertCreatedNothing(Scenario scenario, String what) {
        assertEquals("0", scenario.queryText("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + scenario.slot + "'"),
                scenario.describe() + ", " + what + ": no slot is left behind");
        assertEquals("0", scenario.queryText("SELECT count(*) FROM pg_publication WHERE pubname = '" + scenario.slot + "'"),
                scenario.describe() + ", " + what + ": no publication is created");
        String indices = scenario.search.http().get("/_cat/indices/" + scenario.prefix + "*?h=index&expand_wildcards=all").body();
        assertEquals("", indices.strip(), scenario.describe() + ", " + what + ": no index is created");
    }

    private static String read(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNothingConfirmedOrWritten(Scenario scenario, String index) {
        assertEquals(Map.of(), Oracle.readAll(scenario.search.http(), scenario.alias(index)), scenario.describe() + ": nothing is written");
        // The table is refused before the slot is made, so a slot here would mean the refusal came too late.
        assertNull(scenario.confirmedLsn(), scenario.describe() + ": no slot is created, so nothing can be confirmed");
    }
}
