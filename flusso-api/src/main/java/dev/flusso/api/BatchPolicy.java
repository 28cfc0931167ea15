package dev.flusso.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker groups changes into one flush: up to {@code maxChanges} changes, or whatever arrives within
 * {@code maxDelay} of the first one, whichever comes first. N queued changes so take ⌈N / maxChanges⌉ flushes.
 *
 * @param maxChanges the most changes in one batch, at least 1
 * @param maxDelay how long a batch waits for more changes after its first, not negative
 */
public record BatchPolicy(int maxChanges, Duration maxDelay) {

    /** 1,000 changes or 500 ms. */
    public static final BatchPolicy DEFAULT = new BatchPolicy(1_000, Duration.ofMillis(500));

    public BatchPolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxChanges < 1) {
            throw new IllegalArgumentException("batch max_changes must be at least 1, got " + maxChanges);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("batch max_delay must not be negative, got " + maxDelay);
        }
    }
}
