package dev.flusso.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.testing.kafka.KafkaServer;
import dev.flusso.testing.opensearch.OpenSearchServer;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One capture process and three worker processes of the image sharing a Kafka topic: a random workload on parent and
 * child tables, a worker killed with SIGKILL inside a batch (its requests held by a proxy, so the kill cannot
 * fall between batches) and the capture process restarted midway; OpenSearch ends up holding
 * exactly what independent SQL rebuilds from the database.
 */
class KafkaRolesTest {

    /**
     * A batch reads the index's generation, sends the bulk and, in a backfill, saves its checkpoint after the bulk:
     * each comes after the batch was taken and before its offsets are committed, so the group must hand the batch to
     * another worker. A refresh once caught up comes after a batch, and so does not count.
     */
    private static final String IN_A_BATCH = "((GET|PUT) /\\S+_flusso_meta/_doc/authors|POST /_bulk\\S*) HTTP/1.1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("flusso.seed", 20261125L);

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void oneCaptureAndThreeWorkersConvergeThroughAKilledWorkerAndARestartedCapture() throws Exception {
        OpenSearchServer search = OpenSearchServer.shared();
        KafkaServer kafka = KafkaServer.shared();
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint NOT NULL, title text NOT NULL)",
                "ALTER TABLE books REPLICA IDENTITY FULL",
                "INSERT INTO authors SELECT g, 'author ' || g FROM generate_series(1, 150) g",
                "INSERT INTO books SELECT g, 1 + g % 150, 'book ' || g FROM generate_series(1, 300) g");
        String run = "roles" + Long.toHexString(System.nanoTime());
        Path toml = dir.resolve("flusso.toml");
        Files.writeString(toml, """
                prefix = "%1$s_"

                [source]
                type = "postgres"
                connection_url = "%2$s"
                slot = "%1$s"
                publication = "%1$s"

                [queue]
                type = "kafka"
                bootstrap_servers = "%3$s"
                topic = "%1$s"
                group_id = "%1$s"
                partitions = 6

                [sinks.search]
                type = "opensearch"
                url = "%4$s"
                refresh_interval = "1s"

                [[index]]
                name = "authors"
                schema = "authors.schema.yml"

                [batch]
                max_changes = 50
                max_delay = "50ms"
                """.formatted(run, db.url(), kafka.bootstrapServers(), search.url()));
        Files.writeString(dir.resolve("authors.schema.yml"), """
                version: 1
                table: authors
                primary_key: id
                fields:
                  - text: name
                  - has_many: books
                    table: books
                    primary_key: id
                    foreign_key: author_id
                    order_by: [{ column: id }]
                    fields:
                      - keyword: title
                  - count: book_count
                    table: books
                    foreign_key: author_id
                """);
        // worker-1 reaches OpenSearch through a proxy that can hold its requests: it is killed inside a batch.
        Path viaProxy = dir.resolve("flusso-worker-1.toml");
        try (StallingProxy proxy = new StallingProxy(search.url())) {
            Files.writeString(viaProxy, Files.readString(toml).replace(search.url().toString(), proxy.url()));
            Process[] workers = {start("worker-1", viaProxy, "worker"), start("worker-2", toml, "worker"), start("worker-3", toml, "worker")};
            Process capture = start("capture-1", toml, "capture");
            Random random = new Random(SEED);
            for (int i = 0; i < 400; i++) {
                change(db, random);
                if (i == 150) {
                    // Held only once worker-1 has ensured its mappings: a request of its start-up is in no batch.
                    Waits.until("worker-1 to work batches", Duration.ofSeconds(120),
                            () -> Image.read(dir.resolve("worker-1/stderr.txt")).contains("working batches from the queue"));
                    proxy.hold();
                    // More changes until one reaches worker-1's partitions and its batch is held: however busy the
                    // machine, the kill then lands inside a batch.
                    Waits.until("worker-1 to be caught inside a batch", Duration.ofSeconds(180), () -> {
                        if (requests(proxy).stream().anyMatch(request -> request.matches(IN_A_BATCH))) {
                            return true;
                        }
                        change(db, random);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return false;
                    });
                    assertTrue(requests(proxy).stream().anyMatch(request -> request.matches(IN_A_BATCH)),
                            "worker-1 is caught inside a batch: " + requests(proxy));
                    workers[0].destroyForcibly();
                    assertTrue(workers[0].waitFor(30, TimeUnit.SECONDS), "SIGKILL ends worker-1");
                }
                if (i == 250) {
                    Waits.until("the capture to stream live changes", Duration.ofSeconds(120),
                            () -> Image.read(dir.resolve("capture-1/stderr.txt")).contains("streaming live changes"));
                    capture.destroy();
                    assertTrue(capture.waitFor(60, TimeUnit.SECONDS), "SIGTERM ends the capture cleanly");
                    assertEquals(0, capture.exitValue(), Image.result(dir.resolve("capture-1"), capture.exitValue()).toString());
                    capture = start("capture-2", toml, "capture");
                }
                if (i % 25 == 0) {
                    Thread.sleep(50);
                }
            }
            Map<String, JsonNode> expected = oracle(db);
            String alias = run + "_authors";
            try {
                Waits.until("OpenSearch to hold what the database says (seed " + SEED + ")", Duration.ofSeconds(300), () -> {
                for (Process process : List.of(workers[1], workers[2])) {
                    if (!process.isAlive()) {
                        throw new AssertionError("a worker died: " + Image.read(dir.resolve("worker-2/stderr.txt"))
                                + Image.read(dir.resolve("worker-3/stderr.txt")));
                    }
                }
                return expected.equals(documents(search, alias));
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + differences(expected, documents(search, alias)) + "\n" + logs(), e);
            }
        } finally {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** {@return the request lines the proxy held} */
    private static List<String> requests(StallingProxy proxy) {
        return proxy.held().lines().filter(line -> line.endsWith(" HTTP/1.1")).toList();
    }

    private static String differences(Map<String, JsonNode> expected, Map<String, JsonNode> found) {
        List<String> missing = new ArrayList<>();
        List<String> different = new ArrayList<>();
        expected.forEach((id, document) -> {
            if (!found.containsKey(id)) {
                missing.add(id);
            } else if (!document.equals(found.get(id))) {
                different.add(id + ": expected " + document + " found " + found.get(id));
            }
        });
        List<String> extra = found.keySet().stream().filter(id -> !expected.containsKey(id)).toList();
        return "missing " + missing + "\nextra " + extra + "\ndifferent " + different.stream().limit(5).toList();
    }

    /** The last lines of every process's log, for a failure message. */
    private String logs() {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("worker-1", "worker-2", "worker-3", "capture-1", "capture-2")) {
            List<String> lines = Image.read(dir.resolve(name).resolve("stderr.txt")).lines().toList();
            all.append("--- ").append(name).append('\n');
            lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(line -> all.append(line).append('\n'));
        }
        return all.toString();
    }

    private Process start(String name, Path toml, String role) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Process process = Image.start(home, Map.of("FLUSSO_PUBLIC_ADDRESS", "off", "FLUSSO_PRIVATE_ADDRESS", "off"),
                "run", "-c", toml.toString(), "--lock", home.resolve("flusso.lock").toString(), "--role", role);
        processes.add(process);
        return process;
    }

    /** One random transaction: authors and books inserted, renamed, deleted, and books moved between authors. */
    private static void change(PostgresDatabase db, Random random) {
        long author = 1 + random.nextInt(180);
        long book = 1 + random.nextInt(400);
        switch (random.nextInt(7)) {
            case 0 -> db.execute("INSERT INTO authors VALUES (" + author + ", 'new " + author + "') ON CONFLICT (id) DO UPDATE"
                    + " SET name = excluded.name || '!'");
            case 1 -> db.execute("UPDATE authors SET name = name || '+' WHERE id = " + author);
            case 2 -> db.execute("DELETE FROM books WHERE author_id = " + author, "DELETE FROM authors WHERE id = " + author);
            case 3 -> db.execute("UPDATE books SET author_id = " + author + " WHERE id = " + book);
            case 4 -> db.execute("DELETE FROM books WHERE id = " + book);
            default -> db.execute("INSERT INTO books VALUES (" + book + ", " + author + ", 'title " + book + "') ON CONFLICT (id)"
                    + " DO UPDATE SET title = excluded.title || '*'");
        }
    }

    /** Every expected document, rebuilt by SQL of its own rather than Flusso's builder. */
    private static Map<String, JsonNode> oracle(PostgresDatabase db) throws Exception {
        Map<String, JsonNode> expected = new TreeMap<>();
        for (Map<String, Object> row : db.query("""
                SELECT a.id::text AS id, json_build_object('name', a.name,
                    'books', coalesce((SELECT json_agg(json_build_object('title', b.title) ORDER BY b.id) FROM books b
                                       WHERE b.author_id = a.id), '[]'::json),
                    'book_count', (SELECT count(*) FROM books b WHERE b.author_id = a.id))::text AS doc
                FROM authors a""")) {
            expected.put((String) row.get("id"), JSON.readTree((String) row.get("doc")));
        }
        return expected;
    }

    private static Map<String, JsonNode> documents(OpenSearchServer search, String alias) {
        search.http().refresh(alias);
        Map<String, JsonNode> found = new TreeMap<>();
        try {
            JsonNode hits = JSON.readTree(search.http().get("/" + alias + "/_search?size=10000").body()).path("hits").path("hits");
            for (JsonNode hit : hits) {
                found.put(hit.path("_id").asText(), hit.path("_source"));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }
}
