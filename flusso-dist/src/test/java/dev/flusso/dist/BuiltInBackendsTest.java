package dev.flusso.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.opensearch.HttpReply;
import dev.flusso.testing.opensearch.OpenSearchServer;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in backends as the image loads them, from {@code lib/backends/} as a module layer: pgjdbc and
 * opensearch-java (automatic modules), the JSON provider they find through the context class loader, the JDK modules
 * jdeps found for them. Every command that connects to a database runs here at least once, against real servers.
 */
class BuiltInBackendsTest {

    /** The words of a class, module or service missing from the image. */
    private static final List<String> MISSING = List.of("NoClassDefFoundError", "ClassNotFoundException",
            "ServiceConfigurationError", "JsonException", "FindException", "No suitable driver");

    @TempDir
    Path dir;

    /**
     * {@code check} against the database and OpenSearch; {@code run} (backfill, a dead letter, live changes);
     * {@code status} and {@code reindex} of that run; then {@code dead-letters list} and {@code redrive}.
     */
    @Test
    void everyCommandThatConnectsWorksAgainstRealServersFromTheLayer() throws Exception {
        OpenSearchServer search = OpenSearchServer.shared();
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        // A keyword longer than Lucene's 32766-byte term limit is refused by OpenSearch: a dead letter.
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL, code text NOT NULL)",
                "INSERT INTO authors VALUES (1, 'Ada', 'a1'), (2, 'Grace', repeat('x', 40000))");
        Path toml = dir.resolve("flusso.toml");
        Files.writeString(toml, """
                prefix = "dist_"
                on_error = "dead_letter"

                [source]
                type = "postgres"
                connection_url = "%s"
                slot = "dist_builtin"
                publication = "dist_builtin"

                [sinks.search]
                type = "opensearch"
                url = "%s"

                [[index]]
                name = "authors"
                schema = "authors.schema.yml"

                [batch]
                max_changes = 100
                max_delay = "20ms"
                """.formatted(db.url(), search.url()));
        Files.writeString(dir.resolve("authors.schema.yml"), """
                version: 1
                table: authors
                primary_key: id
                fields:
                  - text: name
                    required: true
                  - keyword: code
                """);

        Image.Result check = command("check", "check", "-c", toml.toString(), "--format", "json");
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.out().matches("(?s).*\"valid\"\\s*:\\s*true.*") && check.out().contains("sink 'search'"),
                "check should find the database and OpenSearch as the deployment needs them:\n" + check);

        String admin = "127.0.0.1:" + FreePorts.pick();
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Process run = Image.start(runDir, Map.of("FLUSSO_PUBLIC_ADDRESS", "off", "FLUSSO_PRIVATE_ADDRESS", admin),
                "run", "-c", toml.toString());
        try {
            Waits.until("the backfill done, Ada in OpenSearch", Duration.ofSeconds(120),
                    () -> alive(run, runDir) && status(admin).contains("\"state\":\"live\"") && count(search) == 1);

            Image.Result status = command("status", "status", "--server", admin, "--format", "json");
            assertEquals(0, status.exitCode(), status.toString());
            assertTrue(status.out().matches("(?s).*\"state\"\\s*:\\s*\"live\".*") && status.out().contains("confirmed_lsn"),
                    "status should show the run live and its slot's position, which the run reads from the database:\n" + status);

            Image.Result reindex = command("reindex", "reindex", "authors", "--server", admin);
            assertEquals(0, reindex.exitCode(), reindex.toString());
            db.execute("INSERT INTO authors VALUES (3, 'Edsger', 'e3')");
            Waits.until("the rebuilt generation serving, with the live insert", Duration.ofSeconds(120),
                    () -> alive(run, runDir) && search.http().get("/_alias/dist_authors").body().contains("_r1")
                            && count(search) == 2);
        } finally {
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
        assertEquals(0, run.exitValue(), "a clean stop:\n" + Image.result(runDir, run.exitValue()));
        assertLoadedEverything(Image.read(runDir.resolve("stderr.txt")));

        Image.Result list = command("list", "dead-letters", "list", "-c", toml.toString());
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.out().contains("authors/2 (version"), "Grace's document should be a dead letter:\n" + list);

        db.execute("UPDATE authors SET code = 'g2' WHERE id = 2");
        Image.Result redrive = command("redrive", "dead-letters", "redrive", "-c", toml.toString());
        assertEquals(0, redrive.exitCode(), redrive.toString());
        assertTrue(redrive.out().contains("0 still rejected"), redrive.toString());
        assertEquals(3, count(search), "Grace's document, re-driven from the fixed row, beside the other two");
    }

    /** {@code demo}: a throwaway PostgreSQL, its sample library backfilled, live changes, then the end. */
    @Test
    void theDemoRunsToItsEnd() {
        Path samples = dir.resolve("samples");
        Image.Result demo = Image.flusso(dir, Map.of(), "demo", "--changes", "5", "--pace", "0ms", "--dir", samples.toString());
        assertEquals(0, demo.exitCode(), demo.toString());
        List<String> documents = demo.out().lines().toList();
        assertTrue(documents.size() > 5 && documents.stream().allMatch(l -> l.startsWith("{\"index\":\"authors\"")),
                "the five sample authors, then the live changes' documents, on standard output:\n" + demo);
        assertTrue(demo.err().contains("demo done: "), demo.toString());
        assertTrue(Files.isRegularFile(samples.resolve("flusso.toml")), "the sample files stay in " + samples);
        assertLoadedEverything(demo.err());
    }

    /** Runs a command that ends, in a folder of its own (a running {@code run} writes to the test's). */
    private Image.Result command(String folder, String... args) throws IOException {
        Image.Result result = Image.flusso(Files.createDirectories(dir.resolve(folder)), Map.of(), args);
        assertLoadedEverything(result.err());
        return result;
    }

    private static void assertLoadedEverything(String stderr) {
        for (String missing : MISSING) {
            assertTrue(!stderr.contains(missing), "no class, module, service or driver should be missing from the image ("
                    + missing + "):\n" + stderr);
        }
    }

    private static boolean alive(Process run, Path runDir) {
        if (!run.isAlive()) {
            throw new AssertionError("bin/flusso run stopped early:\n" + Image.result(runDir, run.exitValue()));
        }
        return true;
    }

    /** {@return the run's {@code /status}}, as the admin surface answers it on loopback by default */
    private static String status(String admin) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + admin + "/status").toURL().openConnection();
            connection.setRequestProperty("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("admin:flusso".getBytes(StandardCharsets.UTF_8)));
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s", "");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(OpenSearchServer search) {
        search.http().refresh("dist_*");
        HttpReply reply = search.http().get("/dist_authors/_count");
        if (!reply.ok()) {
            return -1;
        }
        Matcher count = Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(reply.body());
        return count.find() ? Integer.parseInt(count.group(1)) : -1;
    }
}
