package dev.flusso.source.wal.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Unprivileged;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Capture throughput beside {@code pg_recvlogical} draining the same WAL through an identical slot and publication.
 * Runs only when asked: {@code mvn test -Dtest=CaptureBenchmark -Dflusso.bench=true [-Dflusso.bench.rows=200000]}.
 * The capture's rate counts changes decoded, converted and handed to a bounded queue that a consumer drains.
 */
@EnabledIfSystemProperty(named = "flusso.bench", matches = "true")
class CaptureBenchmark {

    @Test
    void captureBesidePgRecvlogical() throws Exception {
        int rows = Integer.getInteger("flusso.bench.rows", 200_000);
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, ok boolean)");
        String other = source.slot + "_recv";
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        source.database.query("SELECT lsn FROM pg_create_logical_replication_slot('" + other + "', 'pgoutput')");
        for (int from = 1; from <= rows; from += 10_000) {
            source.database.execute("INSERT INTO items SELECT i, 'name ' || i, i * 1.5, i % 2 = 0 FROM generate_series("
                    + from + ", " + Math.min(rows, from + 9_999) + ") i");
        }
        long end = source.currentLsn();

        double recvSeconds = pgRecvlogical(source, other, end);
        double ourSeconds = capture(capture, rows);
        double ours = rows / ourSeconds;
        double theirs = rows / recvSeconds;
        System.out.printf("%nwal capture:    %,d changes in %.2f s = %,.0f changes/s%n", rows, ourSeconds, ours);
        System.out.printf("pg_recvlogical: %,d changes in %.2f s = %,.0f changes/s%n", rows, recvSeconds, theirs);
        System.out.printf("ratio: %.2f (target >= 0.8)%n%n", ours / theirs);
        source.database.query("SELECT pg_drop_replication_slot('" + other + "')");
        source.drop();
    }

    private static double capture(WalCapture capture, int rows) throws Exception {
        ArrayBlockingQueue<Change> queue = new ArrayBlockingQueue<>(10_000);
        ChangeEmitter out = new ChangeEmitter() {
            @Override
            public void put(Change change) throws InterruptedException {
                if (!change.isProgress()) {
                    queue.put(change);
                }
            }

            @Override
            public boolean offer(Change change, Duration timeout) throws InterruptedException {
                // Progress markers say the server moved on; they are not rows to count.
                return change.isProgress() || queue.offer(change, timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
        long start = System.nanoTime();
        try (Streaming streaming = new Streaming(capture, out)) {
            for (int i = 0; i < rows; i++) {
                Change change = queue.poll(60, TimeUnit.SECONDS);
                if (change == null) {
                    throw new AssertionError("only " + i + " changes arrived");
                }
                if (i == rows - 1) {
                    capture.confirm(change.position());
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double pgRecvlogical(TestSource source, String slot, long end) throws Exception {
        Path bin = Path.of(new String(new ProcessBuilder("pg_config", "--bindir").start().getInputStream().readAllBytes()).trim());
        List<String> command = Unprivileged.command(List.of(bin.resolve("pg_recvlogical").toString(),
                "-d", "host=127.0.0.1 port=" + PostgresServer.shared().port() + " user=postgres dbname=" + source.database.name(),
                "--slot", slot, "--start", "--no-loop", "-o", "proto_version=1", "-o", "publication_names=flusso",
                "--endpos", Lsn.format(end), "-f", "/dev/null"));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new AssertionError("pg_recvlogical failed: " + output);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
