package dev.flusso.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness, in quick mode unless {@code -Dflusso.bench=full}, so that it cannot rot. It checks the shape of
 * {@code results.json} and that every workload produced figures; it asserts no speed.
 */
class BenchHarnessTest {

    private static final Set<String> KEYS = Set.of("workload", "metric", "flusso", "reference", "ratio", "target");

    @Test
    void everyWorkloadProducesFiguresInResultsJson() throws Exception {
        Path out = Path.of("target", "bench");
        Bench.run(Scale.fromProperty(), out);

        JsonNode results = Search.JSON.readTree(Files.readString(out.resolve("results.json")));
        assertTrue(results.isArray() && results.size() > 0, "results.json must be a non-empty list, was: " + results);
        Set<String> workloads = new TreeSet<>();
        for (JsonNode figure : results) {
            Set<String> keys = new LinkedHashSet<>();
            figure.fieldNames().forEachRemaining(keys::add);
            assertEquals(KEYS, keys, "figure " + figure + " must have exactly the keys " + KEYS);
            assertTrue(figure.get("flusso").isNumber(), "figure " + figure + " must have Flusso's figure");
            // A difference of two latencies measured side by side may fall below zero by noise; nothing else may.
            boolean difference = figure.get("metric").asText().startsWith("added ");
            assertTrue(difference || figure.get("flusso").asDouble() >= 0, "figure " + figure + " must not be negative");
            if (!figure.get("reference").isNull()) {
                assertTrue(figure.get("ratio").isNumber(), "figure " + figure + " has a reference, so it must have a ratio");
            }
            workloads.add(figure.get("workload").asText().substring(0, 1));
        }
        assertEquals(new TreeSet<>(Bench.selected()), workloads, "every workload run must produce figures");
        for (JsonNode figure : results) {
            if (figure.get("workload").asText().startsWith("6") && figure.get("metric").asText().contains("completes")) {
                assertEquals(1.0, figure.get("flusso").asDouble(), "workload 6's transaction must complete under -Xmx256m");
            }
        }
    }
}
