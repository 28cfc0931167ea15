package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 22: a document the mapping rejects (an infinite timestamp in a {@code date} field, which the builder
 * writes as {@code "infinity"}) under each failure policy: {@code stop} stops the run without confirming it,
 * {@code skip} goes on without it, {@code dead_letter} goes on and keeps it, with its reason.
 */
class PoisonDocumentTest {

    private static final String SCHEMA = """
            version: 1
            table: events
            primary_key: id
            fields:
              - text: title
              - timestamp: happened_at
            """;
    private static final String ORACLE_SQL =
            "SELECT id::text AS id, json_build_object('title', title, 'happened_at', happened_at)::text AS doc FROM events";
    private static final String INDEX_SECTION = """
            [[index]]
            name = "events"
            schema = "events.schema.yml"
            """;
    private static final String POISON = "1000";

    private Scenario prepare(String policy) {
        Scenario scenario = Scenario.of("poison/" + policy);
        scenario.database.execute("CREATE TABLE events (id bigint PRIMARY KEY, title text, happened_at timestamptz)",
                "INSERT INTO events SELECT e, 'event ' || e, TIMESTAMPTZ '2024-01-01 00:00:00+00' + e * INTERVAL '1 hour'"
                        + " FROM generate_series(1, 100) e");
        scenario.write("events.schema.yml", SCHEMA);
        scenario.writeConfig(policy, INDEX_SECTION, "");
        return scenario;
    }

    /** Live: good rows, the poison row, then more good rows each in their own transaction; {@return the LSN after the poison} */
    private static String writePoison(Scenario scenario) {
        scenario.database.execute("INSERT INTO events VALUES (101, 'before', now())");
        scenario.database.execute("INSERT INTO events VALUES (" + POISON + ", 'poison', 'infinity')");
        String afterPoison = scenario.currentLsn();
        for (int i = 0; i < 5; i++) {
            scenario.database.execute("INSERT INTO events VALUES (" + (2000 + i) + ", 'after', now())");
        }
        return afterPoison;
    }

    @Test
    void stopPolicyStopsTheRunAndConfirmsNothingPastThePoison() {
        try (Scenario scenario = prepare("stop")) {
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            String afterPoison = writePoison(scenario);
            int code = flusso.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, code, scenario.describe() + ": on_error = stop must end the run with a failure");
            assertTrue(flusso.logText().contains(POISON), scenario.describe() + ": the message names the document; log ends:\n"
                    + flusso.logTail(20));
            assertFalse(scenario.confirmedAtLeast(afterPoison),
                    scenario.describe() + ": the slot confirmed " + scenario.confirmedLsn() + ", past the rejected document (WAL at "
                            + afterPoison + " after it)");

            // Fixed at the source, the next run delivers it and everything after it.
            scenario.database.execute("UPDATE events SET happened_at = '2030-01-01 00:00:00+00' WHERE id = " + POISON);
            FlussoProcess again = scenario.run();
            scenario.awaitConverged(scenario.oracle("events", ORACLE_SQL), Duration.ofSeconds(90));
            again.stop();
            scenario.pass();
        }
    }

    @Test
    void skipPolicyGoesOnWithoutThePoison() {
        try (Scenario scenario = prepare("skip")) {
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            writePoison(scenario);
            String end = scenario.currentLsn();
            Oracle oracle = scenario.oracle("events", ORACLE_SQL);
            Waits.until("every document but the poison", Duration.ofSeconds(60), () -> oracle.compare(id -> !id.equals(POISON)).isEmpty());
            Waits.until("the slot to pass the skipped document", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            assertFalse(oracle.actual().containsKey(POISON), scenario.describe() + ": a skipped document is not written");
            assertTrue(flusso.isAlive(), scenario.describe() + ": skip keeps the run going; log ends:\n" + flusso.logTail(20));
            flusso.stop();
            scenario.pass();
        }
    }

    @Test
    void deadLetterPolicyGoesOnAndKeepsThePoisonWithItsReason() {
        try (Scenario scenario = prepare("dead_letter")) {
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            writePoison(scenario);
            String end = scenario.currentLsn();
            Oracle oracle = scenario.oracle("events", ORACLE_SQL);
            Waits.until("every document but the poison", Duration.ofSeconds(60), () -> oracle.compare(id -> !id.equals(POISON)).isEmpty());
            Waits.until("the slot to pass the dead-lettered document", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            assertTrue(flusso.isAlive(), scenario.describe() + ": dead_letter keeps the run going; log ends:\n" + flusso.logTail(20));

            String deadLetters = scenario.prefix + "flusso_dead_letters";
            try {
                Waits.until("a dead letter", Duration.ofSeconds(30), () -> !Oracle.readAll(scenario.search.http(), deadLetters).isEmpty());
            } catch (AssertionError e) {
                // the assertion below says what is there
            }
            Map<String, JsonNode> letters = Oracle.readAll(scenario.search.http(), deadLetters);
            List<JsonNode> poison = letters.values().stream().filter(letter -> letter.path("id").asText().equals(POISON)).toList();
            assertEquals(1, poison.size(), scenario.describe() + ": one dead letter for document " + POISON + " in " + deadLetters
                    + ", found " + letters + "; the index holds it: " + oracle.actual().get(POISON) + "; slot at "
                    + scenario.confirmedLsn() + "; log ends:\n" + flusso.logTail(15));
            JsonNode letter = poison.get(0);
            assertEquals("events", letter.path("index").asText().replace(scenario.prefix, ""),
                    scenario.describe() + ": the dead letter names its index: " + letter);
            assertFalse(letter.path("reason").asText().isBlank(), scenario.describe() + ": the dead letter holds a reason: " + letter);
            assertTrue(letter.path("source").asText().contains("infinity"),
                    scenario.describe() + ": the dead letter holds the document: " + letter);
            assertFalse(oracle.actual().containsKey(POISON), scenario.describe() + ": the rejected document is not in the index");
            flusso.stop();
            scenario.pass();
        }
    }
}
