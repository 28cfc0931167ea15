package dev.flusso.api.spi;

import dev.flusso.api.FlussoException;
import dev.flusso.api.Observer;
import dev.flusso.api.RetriableException;
import dev.flusso.api.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The failures in a row of one step under a {@link RetryPolicy}, told to the observer as they come and when they
 * end: the engine keeps one per step it retries, a capture one for its reconnects. Not thread-safe: one per loop.
 */
public final class RetryStreak {

    private final String step;
    private final RetryPolicy policy;
    private final Observer observer;

    private int failures;
    private long firstFailure;
    private Duration waited = Duration.ZERO;

    /**
     * @param step what is tried, for the observer and messages, such as {@code capture}; never {@code null}
     * @param policy never {@code null}
     * @param observer told of each failure and of the recovery; never {@code null}
     */
    public RetryStreak(String step, RetryPolicy policy, Observer observer) {
        this.step = Objects.requireNonNull(step, "step");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Counts a failure. The caller waits the returned time before the next attempt.
     *
     * @param cause the failure, never {@code null}
     * @return how long to wait before the next attempt
     * @throws FlussoException caused by {@code cause} once the policy gives up
     */
    public Duration failed(RetriableException cause) {
        long now = System.nanoTime();
        if (failures++ == 0) {
            firstFailure = now;
            waited = Duration.ZERO;
        }
        // The waits handed out count too, so a caller that does not really sleep (a test) still reaches the bound.
        Duration elapsed = Duration.ofNanos(now - firstFailure);
        Duration failingFor = elapsed.compareTo(waited) >= 0 ? elapsed : waited;
        if (policy.givesUp(failures, failingFor)) {
            throw new FlussoException(step + " failed " + failures + " times in " + failingFor.toSeconds() + " s, and"
                    + " the retry policy gives up " + policy.bound() + " ([failure] give_up_after); last error: "
                    + cause.getMessage(), cause);
        }
        Duration wait = policy.backoff(failures);
        waited = waited.plus(wait);
        observer.retrying(step, failures, failingFor, wait, cause);
        return wait;
    }

    /** Ends the streak after an attempt that worked; tells the observer if there were failures. */
    public void succeeded() {
        if (failures > 0) {
            observer.recovered(step, failures, Duration.ofNanos(System.nanoTime() - firstFailure));
            failures = 0;
        }
    }

    /** {@return the failures in a row so far} */
    public int failures() {
        return failures;
    }
}
