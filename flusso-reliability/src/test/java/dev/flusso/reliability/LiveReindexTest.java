package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Scenario 31: {@code flusso reindex} under a random workload. The rebuild's snapshot runs beside the live stream on
 * the same process, its documents interleaved with live ones; the index ends equal to the oracle, a document lost
 * from the index before the rebuild is back, and the replication connection was never given up.
 */
class LiveReindexTest {

    @Test
    void aReindexUnderARandomWorkloadRepairsDriftWithoutStoppingTheStream() throws Exception {
        try (Scenario scenario = Scenario.of("reindex/live-under-workload")) {
            Library.create(scenario, 2_000);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            int admin = FreePorts.pick();
            FlussoProcess flusso = scenario.run("--public-address", "off", "--private-address", "127.0.0.1:" + admin,
                    "--admin-user", "ops", "--admin-password", "s3cret");
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            String alias = scenario.alias(Library.INDEX);
            // Drift the index cannot repair from live changes alone: a document deleted behind flusso's back.
            assertEquals(200, scenario.search.http().delete("/" + alias + "/_doc/7?refresh=true").status());
            String before = scenario.search.http().get("/_alias/" + alias).body();
            String walSender = scenario.queryText("SELECT active_pid::text FROM pg_replication_slots WHERE slot_name = '"
                    + scenario.slot + "'");

            scenario.workload = new Library.Workload(scenario.database, scenario.seed, 2_000, 5);
            scenario.workload.start();
            HttpResponse<String> asked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin + "/reindex?index=" + Library.INDEX))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, asked.statusCode(), asked.body());
            flusso.awaitLog("index 'authors' rebuilt", Duration.ofSeconds(180));
            Thread.sleep(500);
            scenario.workload.stop();

            String end = scenario.currentLsn();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            Waits.until("the slot to confirm the end of the workload", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(end));
            assertEquals(walSender, scenario.queryText("SELECT active_pid::text FROM pg_replication_slots WHERE slot_name = '"
                    + scenario.slot + "'"), "the rebuild ran beside the same replication connection");
            String after = scenario.search.http().get("/_alias/" + alias).body();
            assertTrue(!after.equals(before) && after.matches("\\{\"[^\"]+_r\\d+\".*"),
                    "the alias serves a rebuilt generation: " + before + " before, " + after + " after");
            assertTrue(!flusso.logText().contains("restarting to rebuild"), "the run did not restart to rebuild");
            flusso.stop();
            scenario.pass();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
