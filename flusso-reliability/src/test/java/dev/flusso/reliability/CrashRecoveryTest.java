package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scenarios 1, 3, 5, 19, 20, 25, 27: flusso is killed with SIGKILL at random moments (during backfill, at any
 * moment of a start, mid-stream while batches are in flight) under a seeded random workload, restarted each time,
 * and at the end the index must equal the oracle.
 */
class CrashRecoveryTest {

    @Test
    void indexEqualsOracleAfterRepeatedSigkillsUnderRandomWorkload() {
        try (Scenario scenario = Scenario.of("crash/sigkill-random-workload")) {
            Random random = new Random(scenario.seed);
            int authors = Scenario.soak() ? 50_000 : 2_000;
            int crashes = Scenario.soak() ? 40 : 6;
            Library.create(scenario, authors);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            Library.Workload workload = new Library.Workload(scenario.database, scenario.seed, authors, 10);
            List<String> kills = new ArrayList<>();

            // Killed during the first backfill, with writers committing throughout it (scenario 19, 20).
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("backfilling index", Duration.ofSeconds(120));
            workload.start();
            FlussoProcess.sleep(random.nextInt(2_000));
            kills.add("backfill");
            flusso.kill();

            for (int crash = 1; crash < crashes; crash++) {
                flusso = scenario.run();
                switch (random.nextInt(3)) {
                    case 0 -> {
                        // Any moment of a start: mapping, backfill resume, first batches.
                        FlussoProcess.sleep(300 + random.nextInt(3_000));
                        kills.add("start");
                    }
                    case 1 -> {
                        flusso.awaitLog("streaming live changes", Duration.ofSeconds(180));
                        FlussoProcess.sleep(1_000 + random.nextInt(5_000));
                        kills.add("stream");
                    }
                    default -> {
                        // Right after streaming starts, batches of the backlog are being flushed and confirmed.
                        flusso.awaitLog("streaming live changes", Duration.ofSeconds(180));
                        FlussoProcess.sleep(random.nextInt(100));
                        kills.add("backlog");
                    }
                }
                flusso.kill();
            }
            long transactions = workload.stop();
            String end = scenario.currentLsn();

            flusso = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(180));
            Waits.until("the slot to confirm the end of the workload " + end, Duration.ofSeconds(60),
                    () -> scenario.confirmedAtLeast(end));
            assertTrue(scenario.oracle(Library.INDEX, Library.ORACLE_SQL).compare().isEmpty(), scenario.describe());
            int code = flusso.stop();
            assertTrue(code == 0 || code == 143, scenario.describe() + ": a clean stop exits 0 (or 143 for SIGTERM), got "
                    + code + "; log ends:\n" + flusso.logTail(30));
            System.out.println("crash scenario: " + transactions + " transactions, kills " + kills);
            scenario.pass();
        }
    }

    /** Scenario 20: a backfill killed after some of its batches were flushed resumes from its checkpoint. */
    @Test
    void backfillKilledMidwayResumesFromItsCheckpoint() {
        try (Scenario scenario = Scenario.of("crash/backfill-killed-midway")) {
            Library.create(scenario, 30_000);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("backfilling index", Duration.ofSeconds(120));
            Oracle oracle = Library.oracle(scenario);
            String generation = scenario.prefix + Library.INDEX + "_*";
            // Killed once a good part of the backfill is durable (the generation being built holds documents).
            Waits.until("part of the backfill to be written", Duration.ofSeconds(120), () -> {
                scenario.search.http().post("/" + generation + "/_refresh", null);
                String count = scenario.search.http().get("/" + generation + "/_count").body();
                return Documents.parse(count).path("count").asLong() >= 5_000;
            });
            flusso.kill();
            FlussoProcess again = scenario.run();
            again.awaitLog("backfilling index", Duration.ofSeconds(120));
            assertTrue(again.logText().contains("resuming"), scenario.describe()
                    + ": the backfill starts over instead of resuming from its checkpoint; log:\n" + again.logTail(10));
            scenario.awaitConverged(oracle, Duration.ofSeconds(180));
            again.stop();
            scenario.pass();
        }
    }
}
