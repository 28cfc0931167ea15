package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** flusso run's --locked, --skip-backfill and --queue-capacity against the real database. */
class RunFlagsTest {

    @TempDir
    Path dir;

    @Test
    void aLockedRunThatSkipsBackfillStreamsOnlyLiveChangesFromTheLockAsItIs() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO authors SELECT g, 'author ' || g FROM generate_series(1, 50) g");
        Path toml = Deployments.authors(dir, db.url(), Deployments.NAMES, null);
        Path lock = dir.resolve("flusso.lock");
        assertEquals(0, Flusso.commandLine().execute("build", "-c", toml.toString(), "-o", lock.toString()));
        byte[] compiled = Files.readAllBytes(lock);
        // A locked run reads neither the deployment file nor rewrites the lock: a broken file must not matter.
        Files.writeString(toml, "this is [not toml");

        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--locked", "-c", toml.toString(), "--lock", lock.toString(), "--skip-backfill",
                "--queue-capacity", "1", "--slot", "flags", "--publication", "flags", "--public-address", "off",
                "--private-address", "off");
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(run::call);
        Path docs = dir.resolve("docs.ndjson");
        try {
            Waits.until("the run to stream from its slot", Duration.ofSeconds(60), () -> !db.query(
                    "SELECT 1 FROM pg_replication_slots WHERE slot_name = 'flags' AND active").isEmpty());
            db.execute("UPDATE authors SET name = 'renamed live' WHERE id = 3", "INSERT INTO authors VALUES (51, 'added live')");
            Waits.until("both live changes as documents", Duration.ofSeconds(60),
                    () -> read(docs).contains("renamed live") && read(docs).contains("added live"));
        } finally {
            run.stop();
            assertEquals(0, running.get(30, TimeUnit.SECONDS));
        }
        assertEquals(2, read(docs).lines().count(), "no backfill: only the two live documents were written\n" + read(docs));
        assertFalse(read(docs).contains("author 4"), read(docs));
        assertTrue(java.util.Arrays.equals(compiled, Files.readAllBytes(lock)), "the lock is left as it was");
    }

    @Test
    void theQueueCapacityFlagReachesTheQueue() {
        Path toml = Deployments.authors(dir, "postgres://nobody@127.0.0.1:1/nothing", Deployments.NAMES, null);
        StringWriter err = new StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setErr(new PrintWriter(err));
        assertEquals(Flusso.EXIT_CONFIG, line.execute("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                "--queue-capacity", "0", "--public-address", "off", "--private-address", "off"));
        assertTrue(err.toString().contains("'capacity' must be at least 1"), err.toString());
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
