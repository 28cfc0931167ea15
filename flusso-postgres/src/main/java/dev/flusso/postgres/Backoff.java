package dev.flusso.postgres;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The wait between a PostgreSQL capture's reconnects ({@link dev.flusso.api.spi.RetryStreak} says how long), slept in
 * short steps so that a close is noticed.
 */
public final class Backoff {

    private Backoff() {
    }

    /** Sleeps for the wait, or until {@code stopped} says so. */
    public static void sleep(Duration wait, BooleanSupplier stopped) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!stopped.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }
}
