package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.testing.opensearch.OpenSearchHttp;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario 32: the destination is restored from an OpenSearch snapshot taken before changes the slot has since passed.
 * Those changes can no longer be streamed; the next run must say so and rebuild the index rather than serve it short
 * of them, and resume the same slot.
 */
class RestoredDestinationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDestinationRestoredFromAnOlderSnapshotIsRebuiltFromTheSameSlot() throws Exception {
        try (Scenario scenario = Scenario.of("restore/older-snapshot")) {
            Library.create(scenario, 500);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            OpenSearchHttp http = scenario.search.http();
            FlussoProcess first = scenario.run();
            first.awaitLog("streaming live changes", Duration.ofSeconds(120));
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));

            String repository = scenario.prefix + "backups";
            String location = scenario.search.snapshots().resolve(repository).toString();
            http.put("/_snapshot/" + repository, "{\"type\":\"fs\",\"settings\":{\"location\":\"" + location + "\"}}")
                    .expectOk("registering the snapshot repository");
            List<String> indexes = indexes(http, scenario.prefix);
            http.put("/_snapshot/" + repository + "/before?wait_for_completion=true", "{\"indices\":\""
                    + String.join(",", indexes) + "\",\"include_global_state\":false}").expectOk("taking the snapshot");

            scenario.workload = new Library.Workload(scenario.database, scenario.seed, 500, 5);
            scenario.workload.start();
            Thread.sleep(3000);
            scenario.workload.stop();
            scenario.database.execute("DELETE FROM authors WHERE id BETWEEN 10 AND 19",
                    "UPDATE authors SET name = 'renamed after the snapshot' WHERE id = 2");
            String end = scenario.currentLsn();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            Waits.until("the slot to confirm the changes made after the snapshot", Duration.ofSeconds(60),
                    () -> scenario.confirmedAtLeast(end));
            assertEquals(0, first.stop(), scenario.describe() + ": SIGTERM ends flusso run with exit 0");

            for (String index : indexes) {
                http.delete("/" + index).expectOk("deleting " + index + " before the restore");
            }
            http.post("/_snapshot/" + repository + "/before/_restore?wait_for_completion=true", "{\"indices\":\""
                    + String.join(",", indexes) + "\",\"include_aliases\":true,\"include_global_state\":false}").expectOk("restoring");
            Oracle restored = Library.oracle(scenario);
            assertFalse(restored.expected().equals(restored.actual()), scenario.describe() + ": the restored destination lacks the later changes");
            String slotBefore = scenario.queryText("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '"
                    + scenario.slot + "'");

            FlussoProcess again = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(120));
            String log = again.logText();
            assertTrue(log.contains("lacks changes its source was told were durable") && log.contains(scenario.slot)
                    && log.contains("restored from an older backup"),
                    scenario.describe() + ": the run names the index, the slot and the likely cause; log ends:\n" + again.logTail(15));
            assertFalse(log.contains("no replication slot"), scenario.describe() + ": the slot was resumed, not made anew");
            assertTrue(scenario.confirmedAtLeast(slotBefore), scenario.describe() + ": the slot kept its place");
            scenario.database.execute("UPDATE authors SET name = 'live after the rebuild' WHERE id = 5");
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(60));
            again.stop();

            FlussoProcess third = scenario.run();
            third.awaitLog("streaming live changes", Duration.ofSeconds(120));
            assertFalse(third.logText().contains("lacks changes"), scenario.describe() + ": a destination that kept up is not rebuilt");
            third.stop();
            scenario.pass();
        }
    }

    /** {@return the scenario's concrete indexes, the hidden metadata index among them} */
    private static List<String> indexes(OpenSearchHttp http, String prefix) throws Exception {
        var reply = http.get("/_cat/indices/" + prefix + "*?expand_wildcards=all&format=json&h=index");
        reply.expectOk("listing the indexes");
        List<String> names = new ArrayList<>();
        for (JsonNode row : JSON.readTree(reply.body())) {
            names.add(row.path("index").asText());
        }
        assertTrue(names.stream().anyMatch(name -> name.endsWith("flusso_meta")), "the metadata index is there: " + names);
        return names;
    }
}
