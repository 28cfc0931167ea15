package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.cli.demo.SampleLibrary;
import dev.flusso.core.Engine;
import dev.flusso.core.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theSampleLibraryEndsInTheOutputExactlyAsItsRowsAre() throws Exception {
        Path output = dir.resolve("docs.ndjson");
        SampleLibrary library = new SampleLibrary(60, Duration.ZERO);
        Providers providers = Providers.load();
        Engine.builder()
                .capture(library.capture())
                .documentBuilder(library.builder())
                .sink(providers.sink("stdout", ProviderContext.of(Settings.of("sinks.out", Map.of("path", output.toString())))))
                .build()
                .run();
        Map<String, String> last = new TreeMap<>();
        for (String line : Files.readAllLines(output)) {
            JsonNode node = JSON.readTree(line);
            if (node.get("op").asText().equals("delete")) {
                last.remove(node.get("id").asText());
            } else {
                last.put(node.get("id").asText(), node.get("document").toString());
            }
        }
        assertEquals(library.expectedDocuments(), last, "replaying the output gives the library's current documents");
    }

    @Test
    void theInMemoryDemoRunsToTheEndAndExitsZero() throws Exception {
        Path output = dir.resolve("demo.ndjson");
        assertEquals(0, Flusso.run("demo", "--in-memory", "--pace", "0ms", "--changes", "5", "--output", output.toString()));
        long lines = Files.readAllLines(output).size();
        assertTrue(lines >= 3 + 1, "three authors backfilled and at least one live document: " + lines);
    }

    @Test
    void theDemoBackfillsARealDatabaseStreamsItsChangesAndLeavesItsSampleFiles() throws Exception {
        Path output = dir.resolve("demo.ndjson");
        Path samples = dir.resolve("samples");
        assertEquals(0, Flusso.run("demo", "--pace", "0ms", "--changes", "15", "--output", output.toString(),
                "--dir", samples.toString()));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            lines.add(JSON.readTree(line));
        }
        long snapshotVersion = lines.get(0).get("version").asLong();
        assertEquals(5, lines.stream().filter(line -> line.get("version").asLong() == snapshotVersion).count(),
                "the five sample authors are backfilled at the slot's consistent point");
        assertTrue(lines.size() > 5, "live changes reached the output: " + lines.size() + " line(s)");
        Map<String, JsonNode> last = new TreeMap<>();
        lines.forEach(line -> last.put(line.get("id").asText(), line.get("document")));
        for (Map.Entry<String, JsonNode> author : last.entrySet()) {
            JsonNode document = author.getValue();
            assertEquals(document.get("books").size(), document.get("book_count").asInt(),
                    "author " + author.getKey() + ": the count aggregate agrees with the nested books in " + document);
        }
        assertTrue(Files.isRegularFile(samples.resolve("flusso.toml")) && Files.isRegularFile(samples.resolve("schema.sql")));
        assertEquals(0, Flusso.run("check", "--offline", "-c", samples.resolve("flusso.toml").toString()),
                "the sample files a newcomer copies are a valid deployment");
    }

    @Test
    void aBadOptionValueIsAConfigurationError() {
        assertEquals(Flusso.EXIT_CONFIG, Flusso.run("demo", "--pace", "fast"));
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertEquals(Flusso.EXIT_USAGE, Flusso.run("frobnicate"));
    }
}
