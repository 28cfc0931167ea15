package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.testing.opensearch.OpenSearchServer;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** on_error = dead_letter keeps a poison document in OpenSearch; the command lists it, and re-drives it once fixed. */
class DeadLettersCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aPoisonDocumentIsListedThenReDrivenOnceItsRowIsFixed() throws Exception {
        OpenSearchServer search = OpenSearchServer.shared();
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        // A keyword longer than Lucene's 32766-byte term limit is refused by OpenSearch: the poison.
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL, code text NOT NULL)",
                "INSERT INTO authors VALUES (1, 'Ada', 'a1'), (2, 'Grace', repeat('x', 40000)), (3, 'Edsger', 'e3')");
        Path toml = Deployments.authors(dir, db.url(), """
                version: 1
                table: authors
                primary_key: id
                fields:
                  - text: name
                  - keyword: code
                """, """
                [sinks.search]
                type = "opensearch"
                url = "%s"
                """.formatted(search.url()));
        Files.writeString(toml, "prefix = \"dl_cli_\"\non_error = \"dead_letter\"\n" + Files.readString(toml));
        String[] deployment = {"-c", toml.toString()};

        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--public-address", "off", "--private-address", "off", "--slot", "dl_cli", "--publication", "dl_cli");
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(run::call);
        try {
            Waits.until("the backfill, with one dead letter", Duration.ofSeconds(90),
                    () -> list(deployment).size() == 1);
        } finally {
            run.stop();
            assertEquals(0, running.get(30, TimeUnit.SECONDS), "dead_letter keeps the run going");
        }
        JsonNode letter = list(deployment).get(0);
        assertEquals("authors", letter.get("index").asText());
        assertEquals("2", letter.get("id").asText());
        assertTrue(letter.get("reason").asText().contains("immense") || letter.get("reason").asText().contains("32766"),
                letter.toString());

        assertEquals(Flusso.EXIT_SINK, execute("dead-letters", "redrive", "-c", toml.toString()).exit(),
                "still poison: kept, and the exit code says so");
        assertEquals(1, list(deployment).size());

        db.execute("UPDATE authors SET code = 'g2' WHERE id = 2");
        Output redrive = execute("dead-letters", "redrive", "-c", toml.toString());
        assertEquals(0, redrive.exit(), redrive.text());
        assertTrue(redrive.text().contains("re-drove 1 document(s); 0 still rejected"), redrive.text());
        assertEquals(0, list(deployment).size(), "forgotten once written");
        search.http().refresh("dl_cli_authors");
        JsonNode written = JSON.readTree(search.http().get("/dl_cli_authors/_doc/2").body());
        assertEquals("g2", written.at("/_source/code").asText(), written.toString());
    }

    private record Output(int exit, String text) {
    }

    private static Output execute(String... args) {
        StringWriter out = new StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setOut(new PrintWriter(out));
        return new Output(line.execute(args), out.toString());
    }

    private static JsonNode list(String[] deployment) {
        Output output = execute("dead-letters", "list", deployment[0], deployment[1], "--format", "json");
        try {
            return JSON.readTree(output.text());
        } catch (java.io.IOException e) {
            throw new AssertionError(output.text(), e);
        }
    }
}
