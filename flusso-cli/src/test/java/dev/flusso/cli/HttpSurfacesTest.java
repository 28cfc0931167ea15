package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.Waits;
import java.net.URI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** flusso run's public surface (metrics, health) and its admin surface (status, behind basic authentication). */
class HttpSurfacesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void metricsHealthAndStatusFollowTheRun() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO authors SELECT g, 'author ' || g FROM generate_series(1, 250) g");
        Path toml = Deployments.authors(dir, db.url(), Deployments.NAMES, null);
        int publicPort = FreePorts.pick();
        int privatePort = FreePorts.pick();
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--public-address", "127.0.0.1:" + publicPort, "--private-address", "127.0.0.1:" + privatePort,
                "--admin-user", "ops", "--admin-password", "s3cret", "--slot", "surfaces", "--publication", "surfaces");
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(run::call);
        assertEquals(Flusso.EXIT_FAILURE, Flusso.commandLine().execute("status", "--server", "127.0.0.1:" + FreePorts.pick()),
                "no run there: a clear failure");
        try {
            String base = "http://127.0.0.1:" + publicPort;
            Waits.until("the run to be ready (backfill done, live)", Duration.ofSeconds(60),
                    () -> get(base + "/readyz", null).statusCode() == 200);
            assertEquals(200, get(base + "/healthz", null).statusCode());
            db.execute("UPDATE authors SET name = name || '!' WHERE id <= 7");
            Waits.until("the 7 live changes in the metrics", Duration.ofSeconds(60),
                    () -> sample(get(base + "/metrics", null).body(), "flusso_changes_total\\{phase=\"live\"\\}") >= 7);
            String metrics = get(base + "/metrics", null).body();
            assertEquals(250, sample(metrics, "flusso_changes_total\\{phase=\"backfill\"\\}"), metrics);
            assertTrue(sample(metrics, "flusso_documents_total\\{op=\"index\"\\}") >= 257, metrics);
            assertTrue(metrics.contains("flusso_flush_duration_seconds_bucket"), "flush latency is a histogram:\n" + metrics);

            String admin = "http://127.0.0.1:" + privatePort + "/status";
            assertEquals(401, get(admin, null).statusCode(), "the admin surface needs credentials");
            assertEquals(401, get(admin, "ops:wrong").statusCode());
            Reply status = get(admin, "ops:s3cret");
            assertEquals(200, status.statusCode());
            JsonNode body = JSON.readTree(status.body());
            assertEquals("live", body.get("state").asText(), status.body());
            assertEquals("seeded", body.at("/indexes/authors/state").asText(), status.body());
            assertEquals(250, body.at("/indexes/authors/backfill_rows").asLong(), status.body());

            java.io.StringWriter printed = new java.io.StringWriter();
            CommandLine statusCommand = Flusso.commandLine();
            statusCommand.setOut(new java.io.PrintWriter(printed));
            assertEquals(0, statusCommand.execute("status", "--server", "127.0.0.1:" + privatePort, "--admin-user", "ops",
                    "--admin-password", "s3cret"));
            assertTrue(printed.toString().matches("(?s).*flusso: live.*authors\\s+seeded\\s+250 rows.*"), printed.toString());
            assertEquals(Flusso.EXIT_CONFIG, Flusso.commandLine().execute("status", "--server", "127.0.0.1:" + privatePort,
                    "--admin-user", "ops", "--admin-password", "guess"), "wrong credentials are named as such");

            String[] credentials = {"--server", "127.0.0.1:" + privatePort, "--admin-user", "ops", "--admin-password", "s3cret"};
            assertEquals(Flusso.EXIT_CONFIG, Flusso.commandLine().execute(concat(new String[] {"reindex", "nope"}, credentials)),
                    "an index the deployment does not have");
            Object streaming = walSender(db);
            assertEquals(0, Flusso.commandLine().execute(concat(new String[] {"reindex", "authors"}, credentials)));
            db.execute("UPDATE authors SET name = 'during the rebuild' WHERE id = 3");
            // 250 backfilled, 7 live, then the rebuild's 250 and the one update: a batch mixing the rebuild's rows
            // with live changes counts as live, so the two phases are summed.
            Waits.until("the rebuild's backfill of all 250 authors", Duration.ofSeconds(60), () -> {
                String now = get(base + "/metrics", null).body();
                return sample(now, "flusso_changes_total\\{phase=\"backfill\"\\}")
                        + sample(now, "flusso_changes_total\\{phase=\"live\"\\}") >= 508;
            });
            Waits.until("the live change made during the rebuild", Duration.ofSeconds(60),
                    () -> read(dir.resolve("docs.ndjson")).contains("during the rebuild"));
            assertEquals(streaming, walSender(db), "the rebuild ran beside the same replication connection: live sync "
                    + "never stopped");
            Waits.until("live again after the rebuild", Duration.ofSeconds(60), () -> get(base + "/readyz", null).statusCode() == 200);
            db.execute("DELETE FROM authors WHERE id = 250");
            Waits.until("the deletion after the rebuild, live", Duration.ofSeconds(60),
                    () -> read(dir.resolve("docs.ndjson")).contains("\"id\":\"250\",\"op\":\"delete\""));
        } finally {
            run.stop();
            assertEquals(0, running.get(30, TimeUnit.SECONDS));
        }
    }

    /** {@return the server process streaming the run's slot} */
    private static Object walSender(PostgresDatabase db) {
        return db.query("SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'surfaces'").get(0).get("active_pid");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void theAdminSurfaceRefusesToListenBeyondLoopbackWithoutCredentials() throws Exception {
        Path toml = Deployments.authors(dir, "postgres://nobody@127.0.0.1:1/nothing", Deployments.NAMES, null);
        assertEquals(Flusso.EXIT_CONFIG, Flusso.run("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--public-address", "off", "--private-address", "0.0.0.0:" + FreePorts.pick()));
    }

    @Test
    void anAddressThatIsNotASocketAddressIsAConfigurationError() throws Exception {
        Path toml = Deployments.authors(dir, "postgres://nobody@127.0.0.1:1/nothing", Deployments.NAMES, null);
        assertEquals(Flusso.EXIT_CONFIG, Flusso.run("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--public-address", "localhost:9464"));
    }


    private record Reply(int statusCode, String body) {
    }

    private static Reply get(String url, String credentials) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(5000);
            if (credentials != null) {
                connection.setRequestProperty("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            int code = connection.getResponseCode();
            try (InputStream in = code < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                return new Reply(code, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (java.net.ConnectException e) {
            return new Reply(-1, e.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the value of the first sample whose name and labels match, or -1} */
    private static double sample(String exposition, String nameAndLabels) {
        Matcher matcher = Pattern.compile("(?m)^" + nameAndLabels + " (\\S+)$").matcher(exposition);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }
}
