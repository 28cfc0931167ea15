package dev.flusso.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a step that failed for a passing reason (a {@link RetriableException}: a lost connection, a busy or restarting
 * server) is tried again: after a backoff that doubles from {@code initialBackoff} up to {@code maxBackoff}, each wait
 * drawn between half and all of that (jitter, so that several workers do not come back in step), until the failures
 * have lasted {@code giveUpAfter} or {@code maxAttempts} attempts have failed; then the run fails, leaving what was
 * not confirmed for the next run. One policy for every edge: the engine's builds and flushes and a capture's
 * reconnects follow it, so one bound says how long an outage a run rides out.
 *
 * @param maxAttempts attempts at one build or flush, at least 1; {@link Integer#MAX_VALUE} for no bound but time
 * @param initialBackoff the longest wait after the first failure, not negative
 * @param maxBackoff the longest wait between attempts, at least {@code initialBackoff}
 * @param giveUpAfter how long a run of failures of one step may last, positive
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

    /**
     * Rides out ten minutes of outage, long enough for a database failover or a search cluster's restart; waits
     * 200 ms at first and 10 s at most between attempts, so a server back is seen within seconds.
     */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(10));

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial (" + initialBackoff + ") <= max ("
                    + maxBackoff + ")");
        }
        if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
            throw new IllegalArgumentException("the time to give up after must be positive, got " + giveUpAfter);
        }
    }

    /** {@return the longest wait after the given failed attempt, counting from 1: the backoff before jitter} */
    public Duration ceiling(int failedAttempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failedAttempt && wait.compareTo(maxBackoff) < 0 && !wait.isZero(); i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** {@return a wait after the given failed attempt: between half of {@link #ceiling} and all of it} */
    public Duration backoff(int failedAttempt) {
        long ceiling = ceiling(failedAttempt).toMillis();
        return Duration.ofMillis(ceiling - ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /** {@return whether a step that failed this many times, failing for this long, is given up} */
    public boolean givesUp(int failedAttempts, Duration failingFor) {
        return failedAttempts >= maxAttempts || failingFor.compareTo(giveUpAfter) >= 0;
    }

    /** {@return this policy without its bound on attempts: for a step that is not a build or a flush} */
    public RetryPolicy timeBoundOnly() {
        return new RetryPolicy(Integer.MAX_VALUE, initialBackoff, maxBackoff, giveUpAfter);
    }

    /** {@return a description for messages, such as "for 10 min" or "5 times"} */
    public String bound() {
        String time = giveUpAfter.toSeconds() % 60 == 0 && giveUpAfter.toSeconds() > 0
                ? giveUpAfter.toMinutes() + " min" : giveUpAfter.toMillis() + " ms";
        return maxAttempts == Integer.MAX_VALUE ? "after " + time : "after " + maxAttempts + " attempts or " + time;
    }
}
