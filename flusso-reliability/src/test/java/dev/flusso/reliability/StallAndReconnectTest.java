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
            // An operator's write block, then the block OpenSearch sets itself when a disk fills.
            for (String block : java.util.List.of("index.blocks.write", "index.blocks.read_only_allow_delete")) {
                scenario.search.http().put(settings, "{\"" + block + "\": true}").expectOk(block);
                try {
                    FlussoProcess.sleep(6_000);
                    assertTrue(flusso.isAlive(), scenario.describe() + ": " + block + " stalls flusso, it does not end it;"
                            + " log ends:\n" + flusso.logTail(30));
                } finally {
                    scenario.search.http().put(settings, "{\"" + block + "\": null}").expectOk("lifting " + block);
                }
            }
            assertTrue(flusso.logText().contains("index.blocks.read_only_allow_delete, which OpenSearch sets when a disk"
                    + " passes its flood-stage watermark"), scenario.describe() + ": the block is named; log ends:\n"
                    + flusso.logTail(30));
            awaitQuiescedAndConfirmed(scenario, flusso);
            flusso.stop();
            scenario.pass();
        }
    }
}
