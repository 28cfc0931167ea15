package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.core.Engine;
import dev.flusso.core.Providers;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flusso run's wiring, end to end: a deployment file, the real database, the wal capture, the stdout sink. */
class RunEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void backfillsThenStreamsLiveChangesIntoEverySink() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint NOT NULL, title text NOT NULL)",
                "ALTER TABLE books REPLICA IDENTITY FULL",
                "INSERT INTO authors VALUES (1, 'Ada'), (2, 'Grace')",
                "INSERT INTO books VALUES (10, 1, 'Notes')");
        Path docs = dir.resolve("docs.ndjson");
        Files.writeString(dir.resolve("flusso.toml"), """
                prefix = "test_"

                [source]
                type = "postgres"
                connection_url = "%s"
                slot = "run_e2e"
                publication = "run_e2e"

                [sinks.out]
                type = "stdout"
                path = "%s"

                [[index]]
                name = "authors"
                schema = "authors.schema.yml"

                [batch]
                max_changes = 100
                max_delay = "20ms"
                """.formatted(db.url(), docs));
        Files.writeString(dir.resolve("authors.schema.yml"), """
                version: 1
                table: authors
                primary_key: id
                fields:
                  - text: name
                    required: true
                  - has_many: books
                    table: books
                    primary_key: id
                    foreign_key: author_id
                    order_by: [{ column: id }]
                    fields:
                      - text: title
                  - count: book_count
                    table: books
                    foreign_key: author_id
                """);

        RunCommand run = new RunCommand();
        run.config = dir.resolve("flusso.toml");
        run.lock = dir.resolve("flusso.lock");
        Engine engine = run.engine(run.resolveDeployment(), Providers.load(), dev.flusso.api.Observer.NONE);
        CompletableFuture<Void> running = CompletableFuture.runAsync(engine::run);
        try {
            Waits.until("the backfill of both authors", Duration.ofSeconds(60), () -> documents(docs).size() == 2);
            db.execute("INSERT INTO books VALUES (11, 1, 'Sketch')", "UPDATE books SET author_id = 2 WHERE id = 10",
                    "DELETE FROM authors WHERE id = 2", "INSERT INTO authors VALUES (3, 'Edsger')");
            Waits.until("the live changes", Duration.ofSeconds(60), () -> documents(docs).keySet().equals(java.util.Set.of("1", "3")));
            Waits.until("author 1 with only its remaining book", Duration.ofSeconds(30),
                    () -> documents(docs).get("1").get("book_count").asInt() == 1);
        } finally {
            engine.stop();
            running.get(30, TimeUnit.SECONDS);
        }
        Map<String, JsonNode> last = documents(docs);
        assertEquals(JSON.readTree("{\"name\":\"Ada\",\"books\":[{\"title\":\"Sketch\"}],\"book_count\":1}"), last.get("1"));
        assertEquals(JSON.readTree("{\"name\":\"Edsger\",\"books\":[],\"book_count\":0}"), last.get("3"));
        assertEquals(true, Files.readAllLines(docs).stream().allMatch(l -> l.contains("\"index\":\"test_authors\"")),
                "the deployment's prefix names the index");
    }

    @Test
    void aRootTruncateRestartsTheRunWhichRebuildsAndGoesOnStreaming() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)", "INSERT INTO authors VALUES (1, 'Ada')");
        Path toml = Deployments.authors(dir, db.url(), Deployments.NAMES, null);
        RunCommand run = new RunCommand();
        picocli.CommandLine parsed = new picocli.CommandLine(run);
        parsed.parseArgs("-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(), "--public-address", "off",
                "--private-address", "off", "--slot", "truncated", "--publication", "truncated");
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(run::call);
        Path docs = dir.resolve("docs.ndjson");
        try {
            Waits.until("the backfill", Duration.ofSeconds(60), () -> documents(docs).containsKey("1"));
            db.execute("TRUNCATE authors", "INSERT INTO authors VALUES (2, 'Grace')");
            Waits.until("the rebuild after the truncation", Duration.ofSeconds(60), () -> documents(docs).containsKey("2"));
            db.execute("INSERT INTO authors VALUES (3, 'Edsger')");
            Waits.until("live changes after the restart", Duration.ofSeconds(60), () -> documents(docs).containsKey("3"));
            assertEquals(false, running.isDone(), "the run goes on");
        } finally {
            run.stop();
            assertEquals(0, running.get(30, TimeUnit.SECONDS));
        }
    }

    /** Replays the output: each id's last record, deletions removing it. */
    private static Map<String, JsonNode> documents(Path file) {
        Map<String, JsonNode> last = new TreeMap<>();
        try {
            if (!Files.exists(file)) {
                return last;
            }
            for (String line : Files.readAllLines(file)) {
                JsonNode record = JSON.readTree(line);
                if (record.get("op").asText().equals("delete")) {
                    last.remove(record.get("id").asText());
                } else {
                    last.put(record.get("id").asText(), record.get("document"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return last;
    }
}
