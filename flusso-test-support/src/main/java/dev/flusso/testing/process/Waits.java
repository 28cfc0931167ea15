package dev.flusso.testing.process;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in tests, with a message naming what did not happen. */
public final class Waits {

    private Waits() {
    }

    /**
     * Waits until the condition holds, polling.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long to wait at most
     * @param condition the condition; exceptions count as "not yet"
     * @throws AssertionError if it does not hold in time
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last == null ? "" : "; last error: " + last), last);
    }
}
