package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Scenarios 12 and 14 and the "OpenSearch stopped mid-run": a server goes away under a running flusso and
 * comes back; flusso rides it out without a restart of its own, and the index converges to the oracle.
 */
class ServerRestartTest {

    @Test
    void openSearchStoppedMidRunAndStartedAgain() {
        try (Scenario scenario = Scenario.of("restart/opensearch-stopped-mid-run")) {
            Library.create(scenario, 500);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            Library.Workload workload = new Library.Workload(scenario.database, scenario.seed, 500, 20);
            workload.start();
            FlussoProcess.sleep(2_000);
            scenario.search.stop();
            FlussoProcess.sleep(Scenario.soak() ? 60_000 : 10_000);
            scenario.search.start();
            FlussoProcess.sleep(2_000);
            workload.stop();
            String end = scenario.currentLsn();

            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            Waits.until("the slot to confirm the end of the workload", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            assertTrue(flusso.isAlive(), scenario.describe() + ": flusso must outlast the outage; log ends:\n" + flusso.logTail(30));
            flusso.stop();
            scenario.pass();
        }
    }

    /**
     * The strict form: flusso itself rides out PostgreSQL going away. The builder's lost connection is a
     * {@code RetriableException}, retried like a flush (it once failed the run, when only the flush was retried).
     */
    @Test
    void postgresFastStoppedAndCrashedMidRunWithoutFlussoRestart() {
        PostgresServer server = PostgresServer.start();
        try (PostgresRestarts restarts = new PostgresRestarts(server);
                Scenario scenario = Scenario.of("restart/postgres-restarts-flusso-rides-out", server)) {
            FlussoProcess flusso = startWithWorkload(scenario);
            Library.Workload workload = scenario.workload;
            FlussoProcess.sleep(2_000);
            restarts.restart("INT", Duration.ofSeconds(3));
            FlussoProcess.sleep(3_000);
            restarts.restart("QUIT", Duration.ofSeconds(1));
            FlussoProcess.sleep(3_000);
            workload.stop();
            String end = scenario.currentLsn();

            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            Waits.until("the slot to confirm the end of the workload", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            assertTrue(flusso.isAlive(), scenario.describe() + ": flusso must outlast the restarts; log ends:\n" + flusso.logTail(30));
            flusso.stop();
            scenario.pass();
        }
    }

    /**
     * Scenario 14 as a supervisor runs flusso (restarted whenever it exits): a fast stop, then an immediate stop
     * (crash recovery on the next start, where {@code confirmed_flush} may move back) lose nothing.
     */
    @Test
    void postgresFastStoppedAndCrashedMidRunUnderASupervisor() {
        PostgresServer server = PostgresServer.start();
        try (PostgresRestarts restarts = new PostgresRestarts(server);
                Scenario scenario = Scenario.of("restart/postgres-restarts-supervised", server)) {
            FlussoProcess[] flusso = {startWithWorkload(scenario)};
            int[] exits = {0};
            Runnable supervise = () -> {
                if (!flusso[0].isAlive()) {
                    exits[0]++;
                    flusso[0] = scenario.run();
                }
            };
            FlussoProcess.sleep(2_000);
            restarts.restart("INT", Duration.ofSeconds(3));
            supervisedSleep(3_000, supervise);
            restarts.restart("QUIT", Duration.ofSeconds(1));
            supervisedSleep(3_000, supervise);
            scenario.workload.stop();
            String end = scenario.currentLsn();
            supervisedSleep(3_000, supervise);
            Oracle oracle = Library.oracle(scenario);
            Waits.until("the index to equal the oracle (supervised)", Duration.ofSeconds(120), () -> {
                supervise.run();
                return oracle.compare().isEmpty();
            });
            Waits.until("the slot to confirm the end of the workload", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            assertTrue(oracle.compare().isEmpty(), scenario.describe() + ": " + oracle.compare());
            System.out.println("postgres restarts: flusso exited " + exits[0] + " time(s) and was restarted");
            flusso[0].stop();
            scenario.pass();
        }
    }

    private static void supervisedSleep(long millis, Runnable supervise) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            supervise.run();
            FlussoProcess.sleep(100);
        }
    }

    private static FlussoProcess startWithWorkload(Scenario scenario) {
        Library.create(scenario, 500);
        scenario.writeConfig("stop", Library.INDEX_SECTION, "");
        FlussoProcess flusso = scenario.run();
        flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
        scenario.workload = new Library.Workload(scenario.database, scenario.seed, 500, 20).tolerateRestarts();
        scenario.workload.start();
        return flusso;
    }
}
