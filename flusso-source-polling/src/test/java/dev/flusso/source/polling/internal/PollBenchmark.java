package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.SnapshotRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Prints figures, asserts none: backfill keys/s, polled changes/s for a bulk update, and the time of a round that
 * finds nothing, by snapshot alone (a scan of the table) and by cursor column (an index range).
 * {@code mvn test -Dtest=PollBenchmark -Dflusso.bench=true [-Dflusso.bench.rows=N]}.
 */
@SuppressWarnings("try") // the resources run threads the test waits on by closing them
class PollBenchmark {

    @Test
    void printsPollingFigures() throws Exception {
        assumeTrue(Boolean.getBoolean("flusso.bench"), "benchmarks run with -Dflusso.bench=true");
        int rows = Integer.getInteger("flusso.bench.rows", 200_000);
        for (boolean column : new boolean[] {false, true}) {
            TestSource source = new TestSource("ALTER TABLE items ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()",
                    "CREATE INDEX ON items (updated_at, id)",
                    "INSERT INTO items (id, name) SELECT i, 'item ' || i FROM generate_series(1, " + rows + ") i", "ANALYZE items");
            if (column) {
                source.with("cursor_columns", Map.of("items", "updated_at"));
            }
            source.with("poll_interval", "10ms");
            PollingCapture capture = source.capture();
            capture.canResume();
            capture.open();
            Counter counter = new Counter();
            long began = System.nanoTime();
            capture.snapshot(SnapshotRequest.of(source.indexes().get(0), Optional.empty()), counter);
            double backfill = seconds(began);
            try (Streaming streaming = new Streaming(capture, counter)) {
                counter.await(rows, Duration.ofMinutes(5));
                source.database.execute("UPDATE items SET name = name || '!', updated_at = now()");
                began = System.nanoTime();
                counter.await(2L * rows, Duration.ofMinutes(5));
                double polled = seconds(began);
                // Rounds that find nothing: time a few of them by the round counter.
                long rounds = capture.roundsCompleted();
                began = System.nanoTime();
                while (capture.roundsCompleted() < rounds + 20) {
                    Thread.sleep(1);
                }
                double idle = seconds(began) / 20;
                System.out.printf("polling benchmark (%s), %,d rows: backfill %,.0f keys/s; bulk update polled at %,.0f changes/s;"
                        + " an idle round takes %.1f ms%n", column ? "cursor column updated_at" : "snapshot only", rows,
                        rows / backfill, rows / polled, idle * 1000);
            }
            source.drop();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Counts changes, dropping them. */
    private static final class Counter implements ChangeEmitter {
        private final AtomicLong count = new AtomicLong();

        @Override
        public void put(Change change) {
            count.incrementAndGet();
        }

        @Override
        public boolean offer(Change change, Duration timeout) {
            count.incrementAndGet();
            return true;
        }

        void await(long n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("expected " + n + " changes, got " + count.get());
                }
                Thread.sleep(5);
            }
        }
    }
}
