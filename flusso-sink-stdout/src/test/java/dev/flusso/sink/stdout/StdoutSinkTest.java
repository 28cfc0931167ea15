package dev.flusso.sink.stdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdoutSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StdoutSink sink = new StdoutSink(out);

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void writesOneNdjsonLinePerDocumentAndDeletion() throws IOException {
        sink.write(Document.upsert(new DocumentId("users", "42"), 7, "{\"name\":\"ada\",\"tags\":[1,2]}"));
        sink.write(Document.deletion(new DocumentId("users", "43"), 8));
        sink.flush();
        List<JsonNode> lines = lines();
        assertEquals(JSON.readTree("{\"index\":\"users\",\"id\":\"42\",\"op\":\"index\",\"version\":7,\"document\":{\"name\":\"ada\",\"tags\":[1,2]}}"),
                lines.get(0));
        assertEquals(JSON.readTree("{\"index\":\"users\",\"id\":\"43\",\"op\":\"delete\",\"version\":8}"), lines.get(1));
    }

    @Test
    void nothingIsWrittenBeforeFlush() {
        sink.write(Document.upsert(new DocumentId("users", "1"), 1, "{}"));
        assertEquals(0, out.size(), "a write is buffered until flush");
        sink.flush();
        assertTrue(out.size() > 0);
    }

    @Test
    void quotesIdsSoEveryLineIsValidJson() throws IOException {
        String awkward = "a\"b\\c\nd\te\u0001f\u2028g😀";
        sink.write(Document.upsert(new DocumentId("in\"dex", awkward), 1, "{}"));
        sink.flush();
        JsonNode line = lines().get(0);
        assertEquals(awkward, line.get("id").asText());
        assertEquals("in\"dex", line.get("index").asText());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("\u2028"), "U+2028 is escaped, so line-oriented readers never split a line");
    }

    @Test
    void deadLettersCarryTheirReason() throws IOException {
        sink.deadLetter(List.of(new Rejection(Document.upsert(new DocumentId("users", "9"), 3, "{\"x\":1}"), "mapper_parsing_exception")));
        JsonNode line = lines().get(0);
        assertEquals("dead_letter", line.get("op").asText());
        assertEquals("mapper_parsing_exception", line.get("reason").asText());
        assertEquals(1, line.get("document").get("x").asInt());
    }

    @Test
    void remembersSeededStateAndCheckpointsForTheProcessOnly() {
        assertFalse(sink.isSeeded("users"));
        sink.saveCheckpoint("users", "17");
        assertEquals("17", sink.backfillCheckpoint("users").orElseThrow());
        sink.markSeeded("users");
        assertTrue(sink.isSeeded("users"));
        assertTrue(sink.backfillCheckpoint("users").isEmpty(), "a seeded index needs no checkpoint");
        assertFalse(new StdoutSink(new ByteArrayOutputStream()).isSeeded("users"), "a new process backfills again");
    }

    @Test
    void aFailingOutputIsAFlushError() {
        StdoutSink broken = new StdoutSink(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        });
        broken.write(Document.upsert(new DocumentId("users", "1"), 1, "{}"));
        FlussoException e = assertThrows(FlussoException.class, broken::flush);
        assertEquals("cannot flush documents to the output: Broken pipe", e.getMessage());
    }

    @Test
    void theProviderAppendsToAFileWhenGivenAPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("docs.ndjson");
        Sink sink = new StdoutSinkProvider().create(ProviderContext.of(Settings.of("sinks.out", Map.of("type", "stdout", "path", file.toString()))));
        sink.write(Document.upsert(new DocumentId("users", "1"), 1, "{}"));
        sink.flush();
        sink.close();
        assertEquals(1, Files.readAllLines(file).size());
    }

    @Test
    void theProviderRejectsUnknownKeys() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new StdoutSinkProvider().create(ProviderContext.of(Settings.of("sinks.out", Map.of("pth", "x")))));
        assertEquals("[sinks.out] key 'pth' is not a known key; expected one of [path, prefix, pretty, type]", e.getMessage());
    }

    @Test
    void theDeploymentPrefixNamesEveryIndex() throws IOException {
        StdoutSink prefixed = new StdoutSink(out, false, "prod_");
        prefixed.write(Document.deletion(new DocumentId("users", "1"), 1));
        prefixed.flush();
        assertEquals("prod_users", lines().get(0).get("index").asText());
    }

    @Test
    void prettyRecordsMeanTheSameAndSpanLines() throws IOException {
        StdoutSink pretty = new StdoutSink(out, true, "");
        String source = "{\"name\":\"a, \\\"b\\\": {c}\",\"tags\":[1,[]],\"empty\":{}}";
        pretty.write(Document.upsert(new DocumentId("users", "1"), 3, source));
        pretty.flush();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.lines().count() > 5, text);
        assertTrue(text.contains("\n  \"document\": {\n    \"name\": \"a, \\\"b\\\": {c}\","), text);
        assertEquals(JSON.readTree("{\"index\":\"users\",\"id\":\"1\",\"op\":\"index\",\"version\":3,\"document\":" + source + "}"),
                JSON.readTree(text), "the indented record means what the compact one means");
    }
}
