package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 35: one large transaction behind deliberately slow builds. Every document's build sleeps 10 ms in the
 * database, so the transaction takes far longer to work through than the server's {@code wal_sender_timeout} (10 s on
 * this cluster): the capture waits on a full queue all that time. It must keep the connection serviced, never take
 * the wait for a dead connection and reconnect (which starts the transaction over from its first change), and the
 * slot must advance past the transaction, the oracle clean. (flusso once reconnected every 50 s, forever.)
 */
class BigTransactionTest {

    private static final int AUTHORS = 300;
    private static final int BOOKS = 8_000;

    @Test
    void aLargeTransactionBehindSlowBuildsCompletesWithoutAReconnect() {
        PostgresServer server = PostgresServer.start(Map.of("wal_sender_timeout", "10s"));
        try (Scenario scenario = Scenario.of("stream/big-transaction-slow-builds", server)) {
            Library.create(scenario, AUTHORS);
            scenario.database.execute("CREATE FUNCTION slowly(value text) RETURNS text LANGUAGE sql VOLATILE AS"
                    + " 'SELECT value FROM (SELECT pg_sleep(0.01)) AS pause'");
            scenario.write("authors.schema.yml", Library.SCHEMA.replace("version: 1\n", "version: 2\n")
                    .replace("  - text: name\n", "  - text: name\n  - text: name_again\n    expression: \"slowly(name)\"\n"));
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            String walsender = walsender(scenario);
            long start = System.nanoTime();
            scenario.database.execute("INSERT INTO books SELECT b, 1 + b % " + AUTHORS + ", 'big ' || b, b % 500"
                    + " FROM generate_series(1000000, " + (1_000_000 + BOOKS - 1) + ") b");
            String end = scenario.currentLsn();
            Waits.until("the slot to confirm the large transaction", Duration.ofMinutes(5), () -> scenario.confirmedAtLeast(end));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            String log = flusso.logText();
            assertFalse(log.contains("reconnecting"), scenario.describe() + ": the capture waited on the queue for " + seconds
                    + " s, which must not read as a dead connection; log:\n" + flusso.logTail(30));
            assertEquals(walsender, walsender(scenario), scenario.describe() + ": one replication connection throughout");
            assertTrue(seconds > 15, scenario.describe() + ": the builds were slow enough to outlast wal_sender_timeout"
                    + " (" + seconds + " s)");
            scenario.awaitConverged(scenario.oracle(Library.INDEX, Library.ORACLE_SQL.replace("'name', a.name,",
                    "'name', a.name, 'name_again', a.name,")), Duration.ofSeconds(120));
            assertTrue(flusso.isAlive(), scenario.describe() + ": flusso runs on; log ends:\n" + flusso.logTail(20));
            flusso.stop();
            scenario.pass();
        } finally {
            server.stopAndRemove();
        }
    }

    private static String walsender(Scenario scenario) {
        return scenario.queryText("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + scenario.slot + "'");
    }
}
