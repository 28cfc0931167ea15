package dev.flusso.postgres;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Exponential backoff with jitter between reconnects to the source, capped; sleeps in short steps so a close is
 * noticed. For the PostgreSQL captures; one per reconnect loop, not thread-safe.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    /**
     * @param first the first wait
     * @param max the longest wait
     */
    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** {@return the next wait, doubling up to the cap, with up to a quarter of jitter} */
    public Duration next() {
        Duration wait = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        long jitter = ThreadLocalRandom.current().nextLong(wait.toMillis() / 4 + 1);
        return wait.plusMillis(jitter);
    }

    /** Starts again from the first wait, after a connection that worked. */
    public void reset() {
        next = first;
    }

    /** Sleeps for the wait, or until {@code stopped} says so. */
    public void sleep(Duration wait, BooleanSupplier stopped) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!stopped.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }
}
