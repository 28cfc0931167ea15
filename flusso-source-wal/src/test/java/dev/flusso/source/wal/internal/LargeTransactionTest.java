package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A million rows in one transaction, through a bounded queue, in a JVM of 256 MB (the module's tests run so). It takes
 * about ten seconds, so it runs in the normal suite.
 */
class LargeTransactionTest {

    private static final int ROWS = 1_000_000;

    @Test
    void aMillionRowTransactionPassesWithBoundedMemory() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY, body text)");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
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
        long peak = 0;
        long started = System.nanoTime();
        source.database.execute("INSERT INTO items SELECT i, repeat('x', 100) FROM generate_series(1, " + ROWS + ") i");
        long inserted = System.nanoTime();
        try (Streaming streaming = new Streaming(capture, out)) {
            Change last = null;
            long version = -1;
            for (int i = 0; i < ROWS; i++) {
                Change change = queue.poll(60, TimeUnit.SECONDS);
                if (change == null) {
                    throw new AssertionError("only " + i + " of " + ROWS + " changes arrived");
                }
                if (version < 0) {
                    version = change.version();
                }
                assertEquals(version, change.version(), "one transaction, one version");
                last = change;
                if (i % 10_000 == 0) {
                    Runtime runtime = Runtime.getRuntime();
                    peak = Math.max(peak, runtime.totalMemory() - runtime.freeMemory());
                }
                if (i % 100_000 == 0) {
                    capture.confirm(change.position()); // mid-transaction: must not move the slot
                }
            }
            assertTrue(source.confirmedFlush() < version, "the slot never passed the incomplete transaction");
            capture.confirm(last.position());
            long end = version;
            ConfirmationTest.awaitFlush(source, lsn -> lsn > end);
        }
        System.out.printf("1,000,000-row transaction: inserted in %d ms, streamed in %d ms, heap in use at most %d MB (sampled) of %d MB%n",
                (inserted - started) / 1_000_000, (System.nanoTime() - inserted) / 1_000_000, peak >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        assertTrue(Runtime.getRuntime().maxMemory() <= 300L << 20, "run with -Xmx256m");
        source.drop();
    }
}
