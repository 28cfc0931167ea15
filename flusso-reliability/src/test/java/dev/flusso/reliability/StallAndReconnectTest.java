package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.process.Waits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scenarios 12 and 23: the walsender terminated mid-stream, and an index turned read-only for a while. */
class StallAndReconnectTest {

    private static FlussoProcess streamingWithWorkload(Scenario scenario) {
        Library.create(scenario, 300);
        scenario.writeConfig("stop", Library.INDEX_SECTION, "");
        FlussoProcess flusso = scenario.run();
        flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
        scenario.workload = new Library.Workload(scenario.database, scenario.seed, 300, 20);
        scenario.workload.start();
        return flusso;
    }

    private static void awaitQuiescedAndConfirmed(Scenario scenario, FlussoProcess flusso) {
        scenario.workload.stop();
        String end = scenario.currentLsn();
        scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
        Waits.until("the slot to confirm the end of the workload", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
        assertTrue(flusso.isAlive(), scenario.describe() + ": flusso must ride this out; log ends:\n" + flusso.logTail(30));
    }

    @Test
    void walsenderTerminatedMidStreamReconnectsAndResumes() {
        try (Scenario scenario = Scenario.of("connection/walsender-terminated")) {
            FlussoProcess flusso = streamingWithWorkload(scenario);
            for (int i = 0; i < 3; i++) {
                FlussoProcess.sleep(1_500);
                Waits.until("a walsender to terminate", Duration.ofSeconds(30), () -> "1".equals(scenario.queryText(
                        "SELECT count(pg_terminate_backend(active_pid)) FROM pg_replication_slots WHERE slot_name = '"
                                + scenario.slot + "' AND active_pid IS NOT NULL")));
            }
            awaitQuiescedAndConfirmed(scenario, flusso);
            flusso.stop();
            scenario.pass();
        }
    }

    @Test
    void readOnlyIndexStallsThenRecoversWithoutARestart() {
        try (Scenario scenario = Scenario.of("opensearch/read-only-index")) {
            FlussoProcess flusso = streamingWithWorkload(scenario);
            String settings = "/" + scenario.alias(Library.INDEX) + "/_settings";
            scenario.search.http().put(settings, "{\"index.blocks.write\": true}").expectOk("write block");
            try {
                FlussoProcess.sleep(8_000);
                assertTrue(flusso.isAlive(), scenario.describe() + ": a read-only index stalls flusso, it does not end it; log ends:\n"
                        + flusso.logTail(30));
            } finally {
                scenario.search.http().put(settings, "{\"index.blocks.write\": false}").expectOk("write unblock");
            }
            awaitQuiescedAndConfirmed(scenario, flusso);
            flusso.stop();
            scenario.pass();
        }
    }
}
