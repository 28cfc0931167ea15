package dev.flusso.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the engine handles the two kinds of failure a batch meets.
 *
 * <ul>
 *   <li>An <em>item rejection</em> (one document cannot be built or the sink refuses it) is handled per item by a
 *       {@link RejectionPolicy}: {@code onRejection}, or the index's own entry in {@code perIndex}.
 *   <li>A <em>flush error</em> (the sink cannot complete a flush: connection lost, server error) is retried when
 *       it is a {@link RetriableException}, up to {@code flushAttempts} attempts in all, waiting
 *       {@code initialBackoff} doubled after each attempt up to {@code maxBackoff}; then the run fails, leaving the
 *       batch unconfirmed for the next run.
 * </ul>
 *
 * @param onRejection the default policy for item rejections, never {@code null}
 * @param perIndex policies for particular indexes, by logical name, never {@code null}
 * @param flushAttempts attempts at one flush, at least 1
 * @param initialBackoff the wait before the second attempt, not negative
 * @param maxBackoff the longest wait between attempts, at least {@code initialBackoff}
 */
public record FailurePolicies(
        RejectionPolicy onRejection,
        Map<String, RejectionPolicy> perIndex,
        int flushAttempts,
        Duration initialBackoff,
        Duration maxBackoff) {

    /** Stop on a rejected item; try a flush 5 times, backing off from 200 ms to 10 s. */
    public static final FailurePolicies DEFAULT =
            new FailurePolicies(RejectionPolicy.STOP, Map.of(), 5, Duration.ofMillis(200), Duration.ofSeconds(10));

    public FailurePolicies {
        Objects.requireNonNull(onRejection, "onRejection");
        perIndex = Map.copyOf(perIndex);
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (flushAttempts < 1) {
            throw new IllegalArgumentException("flush attempts must be at least 1, got " + flushAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("flush backoff must satisfy 0 <= initial (" + initialBackoff
                    + ") <= max (" + maxBackoff + ")");
        }
    }

    /** {@return the policy for rejected items of the given index} */
    public RejectionPolicy rejectionPolicy(String index) {
        return perIndex.getOrDefault(index, onRejection);
    }

    /** {@return a copy with a different default rejection policy} */
    public FailurePolicies withOnRejection(RejectionPolicy policy) {
        return new FailurePolicies(policy, perIndex, flushAttempts, initialBackoff, maxBackoff);
    }

    /**
     * {@return how long to wait after the given failed attempt, counting from 1}
     */
    public Duration backoffAfter(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
