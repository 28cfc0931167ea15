package dev.flusso.bench;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.Position;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Flusso's capture rate on its own: the {@code wal} capture, opened (slot and publication made) before the load,
 * then draining the load's WAL into a counting emitter, as the Debezium peer drains into a no-op consumer. Timed from
 * the first change to the last.
 */
final class WalDrain implements AutoCloseable {

    private final ChangeCapture capture;

    private WalDrain(ChangeCapture capture) {
        this.capture = capture;
    }

    /** Opens the capture: its slot's position is now, before the load. */
    static WalDrain open(ChangeCapture capture) {
        capture.open();
        return new WalDrain(capture);
    }

    /** {@return seconds from the first change to the {@code count}th} */
    double drain(long count, Duration timeout) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        long[] seen = {0, 0, 0};
        AtomicReference<Position> last = new AtomicReference<>();
        ChangeEmitter out = new ChangeEmitter() {
            @Override
            public void put(Change change) {
                if (change.isProgress()) {
                    return; // the server moved on: not a row to count
                }
                if (seen[0]++ == 0) {
                    seen[1] = System.nanoTime();
                }
                if (seen[0] == count) {
                    seen[2] = System.nanoTime();
                    last.set(change.position());
                    done.countDown();
                }
            }

            @Override
            public boolean offer(Change change, Duration wait) {
                put(change);
                return true;
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                capture.stream(out);
            } catch (Throwable e) {
                failure.set(e);
                done.countDown();
            }
        }, "bench-wal-drain");
        thread.start();
        boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (failure.get() != null || !finished) {
            capture.close();
            throw new IllegalStateException("the wal capture delivered " + seen[0] + " of " + count + " changes", failure.get());
        }
        capture.confirm(last.get());
        capture.close();
        thread.join(30_000);
        return (seen[2] - seen[1]) / 1e9;
    }

    @Override
    public void close() {
        capture.close();
    }
}
