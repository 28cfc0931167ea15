package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** flusso run with the polling capture, chosen in flusso.toml, its keys read through flusso-schema. */
class PollingRunTest {

    @TempDir
    Path dir;

    @Test
    void backfillsThenPollsChangesWithItsStateInALocalFile() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO authors VALUES (1, 'Ada'), (2, 'Grace')");
        Path toml = Deployments.authors(dir, db.url(), Deployments.NAMES, null);
        // The capture's own keys in a [polling] section of their own, as the original flusso's files have them.
        Files.writeString(toml, Files.readString(toml).replace("[source]\n", """
                [polling]
                poll_interval = "100ms"
                state = "file"
                state_file = "%s"

                [source]
                capture = "polling"
                """.formatted(dir.resolve("polling.state"))));
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--public-address", "off", "--private-address", "off");
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(run::call);
        try {
            Waits.until("the backfill", Duration.ofSeconds(60), () -> read().contains("\"name\":\"Grace\""));
            db.execute("INSERT INTO authors VALUES (3, 'Edsger')", "UPDATE authors SET name = 'Ada L.' WHERE id = 1");
            Waits.until("the polled changes", Duration.ofSeconds(60),
                    () -> read().contains("\"name\":\"Edsger\"") && read().contains("\"name\":\"Ada L.\""));
        } finally {
            run.stop();
            assertEquals(0, running.get(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.size(dir.resolve("polling.state")) > 0, "the cursors were saved on confirm");
    }

    @Test
    void aPollingSectionBesideAnotherCaptureOrRepeatingASourceKeyIsRefused() throws Exception {
        Path toml = Deployments.authors(dir, "postgres://nobody@127.0.0.1:1/nothing", Deployments.NAMES, null);
        String plain = Files.readString(toml);
        Files.writeString(toml, "[polling]\npoll_interval = \"1s\"\n\n" + plain);
        assertRefused(toml, "[polling] configures the polling capture, but this run captures with 'wal'");

        Files.writeString(toml, "[polling]\npoll_interval = \"1s\"\n\n" + plain.replace("[source]\n",
                "[source]\ncapture = \"polling\"\npoll_interval = \"2s\"\n"));
        assertRefused(toml, "key 'poll_interval' is set in both [source] and [polling]");
    }

    private void assertRefused(Path toml, String message) {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setErr(new java.io.PrintWriter(err));
        assertEquals(Flusso.EXIT_CONFIG, line.execute("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--public-address", "off", "--private-address", "off"), err.toString());
        assertTrue(err.toString().contains(message), err.toString());
    }

    private String read() {
        try {
            Path docs = dir.resolve("docs.ndjson");
            return Files.exists(docs) ? Files.readString(docs).replace("\" : ", "\":") : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
