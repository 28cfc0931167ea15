package dev.flusso.sink.stdout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.sink.testkit.DocumentReader;
import dev.flusso.sink.testkit.SinkVerification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdout sink against the sink kit. Its destination is a stream: it keeps no state across instances and writes
 * every line it is given, stale or not, and refuses nothing. The reader replays the lines as a consumer would.
 */
class StdoutSinkConformanceTest extends SinkVerification {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Override
    protected Sink createSink() {
        Path out = folder.resolve("out.ndjson");
        return new StdoutSinkProvider().create(ProviderContext.of(Settings.of("sinks.out", Map.of("path", out.toString()))));
    }

    @Override
    protected DocumentReader reader() {
        return this::replay;
    }

    @Override
    protected boolean remembersStateAcrossInstances() {
        return false;
    }

    @Override
    protected boolean refusesStaleVersions() {
        return false;
    }

    @Override
    protected boolean rebuildsIndexes() {
        return false;
    }

    @Override
    protected boolean rejectsInvalidDocuments() {
        return false;
    }

    private Optional<String> replay(DocumentId id) {
        Path out = folder.resolve("out.ndjson");
        Map<String, String> documents = new HashMap<>();
        try {
            if (!Files.exists(out)) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                JsonNode entry = JSON.readTree(line);
                String key = entry.path("index").asText() + "/" + entry.path("id").asText();
                switch (entry.path("op").asText()) {
                    case "index" -> documents.put(key, entry.path("document").toString());
                    case "delete" -> documents.remove(key);
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replay " + out, e);
        }
        return Optional.ofNullable(documents.get(id.index() + "/" + id.id()));
    }
}
