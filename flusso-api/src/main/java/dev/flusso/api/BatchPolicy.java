package dev.flusso.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker groups changes into flushes. A batch is what the queue holds when the worker is ready for one, up to
 * {@code maxChanges}; when nothing more is ready it closes at once, unless {@code maxDelay} lets it wait that long
 * after its first change for more. Batches so grow with the load by themselves: while flushes are in flight, the next
 * batch fills (group commit). Up to {@code maxInFlight} flushes travel at once, while the worker builds the next batch;
 * their source positions are confirmed strictly in order.
 *
 * @param maxChanges the most changes in one batch, at least 1
 * @param maxDelay how long a batch may wait for more changes after its first when none is ready, not negative
 * @param maxInFlight the most flushes under way at once, at least 1
 */
public record BatchPolicy(int maxChanges, Duration maxDelay, int maxInFlight) {

    /** The default number of flushes in flight, chosen from flusso-bench (see its README). */
    public static final int DEFAULT_IN_FLIGHT = 4;

    /** 1,000 changes, no waiting for more than is ready, four flushes in flight. */
    public static final BatchPolicy DEFAULT = new BatchPolicy(1_000, Duration.ZERO, DEFAULT_IN_FLIGHT);

    public BatchPolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxChanges < 1) {
            throw new IllegalArgumentException("batch max_changes must be at least 1, got " + maxChanges);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("batch max_delay must not be negative, got " + maxDelay);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("batch max_in_flight must be at least 1, got " + maxInFlight);
        }
    }

    /** A policy with the default number of flushes in flight. */
    public BatchPolicy(int maxChanges, Duration maxDelay) {
        this(maxChanges, maxDelay, DEFAULT_IN_FLIGHT);
    }

    /** {@return this policy with {@code maxInFlight} flushes in flight at most} */
    public BatchPolicy withMaxInFlight(int maxInFlight) {
        return new BatchPolicy(maxChanges, maxDelay, maxInFlight);
    }
}
