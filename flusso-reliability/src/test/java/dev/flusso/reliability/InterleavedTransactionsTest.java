package dev.flusso.reliability;

import dev.flusso.testing.process.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Scenarios 4, 8, 9 and 25: transactions that interleave (one open across a crash and restart; two committing in
 * the reverse order of their changes), and a slot that must advance while only WAL outside the indexes is made.
 */
class InterleavedTransactionsTest {

    private static FlussoProcess streaming(Scenario scenario) {
        Library.create(scenario, 100);
        scenario.writeConfig("stop", Library.INDEX_SECTION, "");
        FlussoProcess flusso = scenario.run();
        flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
        return flusso;
    }

    private static Connection open(Scenario scenario) throws SQLException {
        Connection connection = scenario.database.connect();
        connection.setAutoCommit(false);
        return connection;
    }

    @Test
    void transactionOpenAcrossACrashArrivesAfterTheRestart() throws SQLException {
        try (Scenario scenario = Scenario.of("interleaved/open-transaction-across-crash");
                Connection open = open(scenario); Statement longRunning = open.createStatement()) {
            FlussoProcess flusso = streaming(scenario);
            // Its changes are written to the WAL before the others, its commit after them.
            longRunning.execute("INSERT INTO authors (id, name) VALUES (900001, 'open across the crash')");
            longRunning.execute("UPDATE books SET author_id = 900001 WHERE id IN (1, 2)");
            scenario.database.execute("UPDATE authors SET name = 'committed meanwhile' WHERE id = 3");
            scenario.database.execute("INSERT INTO books VALUES (900002, 3, 'committed meanwhile', 1)");
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(60));
            flusso.kill();
            open.commit();
            FlussoProcess again = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(90));
            again.stop();
            scenario.pass();
        }
    }

    @Test
    void childrenOfOneParentCommittingInReverseOrderOfTheirChanges() throws SQLException {
        try (Scenario scenario = Scenario.of("interleaved/children-reverse-commit-order");
                Connection first = open(scenario); Connection second = open(scenario);
                Statement a = first.createStatement(); Statement b = second.createStatement()) {
            FlussoProcess flusso = streaming(scenario);
            for (int round = 0; round < 5; round++) {
                a.execute("UPDATE books SET title = 'first " + round + "' WHERE id = 1");
                b.execute("UPDATE books SET title = 'second " + round + "' WHERE id = 2");
                a.execute("UPDATE books SET author_id = " + (round % 2 == 0 ? 5 : 1) + " WHERE id = 101");
                second.commit();
                first.commit();
            }
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(60));
            flusso.stop();
            scenario.pass();
        }
    }

    @Test
    void slotAdvancesWhileOnlyWalOutsideTheIndexesIsMade() {
        try (Scenario scenario = Scenario.of("slot/advances-on-unindexed-wal")) {
            FlussoProcess flusso = streaming(scenario);
            scenario.database.execute("CREATE TABLE unindexed (id bigint PRIMARY KEY, payload text)");
            scenario.database.execute("INSERT INTO unindexed SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
            // Another database of the cluster makes WAL too.
            var other = dev.flusso.testing.postgres.PostgresServer.shared().createDatabase();
            other.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 20000)", "SELECT pg_switch_wal()");
            String end = scenario.currentLsn();
            Waits.until("the slot to pass WAL no index reads", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(30));
            flusso.stop();
            other.drop();
            scenario.pass();
        }
    }
}
