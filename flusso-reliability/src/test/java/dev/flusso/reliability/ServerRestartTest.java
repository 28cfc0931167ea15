package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios 12 and 14 and the "OpenSearch stopped mid-run": a server goes away under a running flusso and
 * comes back; flusso rides it out without a restart of its own, and the index converges to the oracle.
 */
class ServerRestartTest {

    /**
     * OpenSearch away for a minute under a running flusso with the shipped retry policy (no {@code [failure]}
     * section): flusso reports itself not ready meanwhile, rides the outage out, and is ready again after it.
     */
    @Test
    void openSearchStoppedForAMinuteIsRiddenOutAtTheDefaults() {
        try (Scenario scenario = Scenario.of("restart/opensearch-stopped-a-minute")) {
            Library.create(scenario, 500);
            scenario.failure = "";
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            String probes = "127.0.0.1:" + FreePorts.pick();
            String admin = "127.0.0.1:" + FreePorts.pick();
            FlussoProcess flusso = scenario.start(Map.of("FLUSSO_PUBLIC_ADDRESS", probes, "FLUSSO_PRIVATE_ADDRESS", admin),
                    "run", "-c", "flusso.toml");
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            Waits.until("the run to be ready", Duration.ofSeconds(30), () -> ready(probes) == 200);
            FlussoProcess status = scenario.start("status", "--server", admin);
            assertEquals(0, status.awaitExit(Duration.ofSeconds(60)), status.logText());
            String shown = status.logText();
            for (String field : java.util.List.of("sink search", "alias " + scenario.alias(Library.INDEX), "generation ",
                    "seeded true", "recorded_version ", "documents ")) {
                assertTrue(shown.contains(field), scenario.describe() + ": flusso status shows the sink's " + field + ":\n" + shown);
            }
            assertFalse(shown.contains("nothing to show"), scenario.describe() + ": " + shown);
            Library.Workload workload = new Library.Workload(scenario.database, scenario.seed, 500, 20);
            workload.start();
            FlussoProcess.sleep(2_000);
            scenario.search.stop();
            try {
                Waits.until("the run to report itself not ready while OpenSearch is away", Duration.ofSeconds(30),
                        () -> ready(probes) == 503);
                FlussoProcess.sleep(Duration.ofSeconds(60).toMillis());
                assertTrue(flusso.isAlive(), scenario.describe() + ": flusso waits a minute's outage out; log ends:\n"
                        + flusso.logTail(30));
            } finally {
                scenario.search.start();
            }
            FlussoProcess.sleep(2_000);
            workload.stop();
            String end = scenario.currentLsn();

            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            Waits.until("the slot to confirm the end of the workload", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            Waits.until("the run to be ready again", Duration.ofSeconds(60), () -> ready(probes) == 200);
            assertTrue(flusso.isAlive(), scenario.describe() + ": flusso must outlast the outage; log ends:\n" + flusso.logTail(30));
            flusso.stop();
            scenario.pass();
        }
    }

    private static int ready(String address) {
        try {
            java.net.HttpURLConnection probe = (java.net.HttpURLConnection) java.net.URI.create("http://" + address + "/readyz")
                    .toURL().openConnection();
            probe.setConnectTimeout(2_000);
            probe.setReadTimeout(2_000);
            return probe.getResponseCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /**
     * The strict form, at the shipped retry policy: flusso itself rides out PostgreSQL away for a minute (a fast
     * stop), then an immediate stop (crash recovery). The builder's lost connection is a {@code RetriableException},
     * retried like a flush, and the capture reconnects, both for as long as the policy's ten minutes.
     */
    @Test
    void postgresStoppedForAMinuteThenCrashedIsRiddenOutAtTheDefaults() {
        PostgresServer server = PostgresServer.start();
        try (PostgresRestarts restarts = new PostgresRestarts(server);
                Scenario scenario = Scenario.of("restart/postgres-a-minute-flusso-rides-out", server)) {
            scenario.failure = "";
            FlussoProcess flusso = startWithWorkload(scenario);
            Library.Workload workload = scenario.workload;
            FlussoProcess.sleep(2_000);
            restarts.restart("INT", Duration.ofSeconds(60));
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
