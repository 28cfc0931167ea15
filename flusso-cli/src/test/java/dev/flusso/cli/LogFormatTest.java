package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logging is set up once per process, so each format is checked in a flusso process of its own. */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonLinesOnRequestEachALogEventToStandardError() throws Exception {
        Result result = run(Map.of("FLUSSO_LOG_FORMAT", "json"));
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.stderr().split("\n")) {
            if (line.startsWith("{")) {
                events.add(JSON.readTree(line));
            }
        }
        assertFalse(events.isEmpty(), "JSON log lines on standard error:\n" + result.stderr());
        JsonNode failure = events.stream().filter(e -> e.path("level").asText().equals("ERROR")).findFirst()
                .orElseThrow(() -> new AssertionError("an ERROR event for the failed run:\n" + result.stderr()));
        assertTrue(failure.path("formattedMessage").asText().contains("run failed"), failure.toString());
        assertTrue(failure.has("timestamp") && failure.has("loggerName"), failure.toString());
        assertEquals("", result.stdout(), "standard output is kept for documents");
    }

    @Test
    void plainLinesByDefault() throws Exception {
        Result result = run(Map.of());
        assertTrue(result.stderr().lines().anyMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR run failed: .*")),
                result.stderr());
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    /** A run against a database that is not there: it logs a little, then fails as a source failure. */
    private Result run(Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("a.schema.yml"), "version: 1\ntable: a\nprimary_key: id\nfields:\n  - text: name\n");
        Files.writeString(dir.resolve("flusso.toml"), """
                [source]
                type = "postgres"
                connection_url = "postgres://nobody@127.0.0.1:1/nothing"
                [failure]
                give_up_after = "1s"
                [[index]]
                name = "a"
                schema = "a.schema.yml"
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            // Surefire puts on the module path only what the module requires; automatic modules read the rest.
            command.addAll(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH",
                    "-cp", System.getProperty("java.class.path"), "--module",
                    "dev.flusso.cli/dev.flusso.cli.Flusso"));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.flusso.cli.Flusso"));
        }
        command.addAll(List.of("run", "-c", dir.resolve("flusso.toml").toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--public-address", "off", "--private-address", "off"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "flusso run ends");
        Result result = new Result(process.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
        assertEquals(Flusso.EXIT_SOURCE, result.exit(), result.stderr());
        return result;
    }

}
