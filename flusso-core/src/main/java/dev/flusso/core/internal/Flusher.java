package dev.flusso.core.internal;

import dev.flusso.api.FailurePolicies;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Observer;
import dev.flusso.api.RetriableException;
import dev.flusso.api.spi.RetryStreak;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a batch that may be run again (its build, its flush), retrying retriable failures (a lost
 * connection, a busy server) as the failure policies' retry policy says.
 */
final class Flusher {

    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final FailurePolicies policies;
    private final Observer observer;
    private final Sleeper sleeper;

    Flusher(FailurePolicies policies, Observer observer, Sleeper sleeper) {
        this.policies = policies;
        this.observer = observer;
        this.sleeper = sleeper;
    }

    /** A step of a batch that may be run again from its start. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws InterruptedException;
    }

    /** {@return the step's result, after as many attempts as the retry policy allows for retriable failures} */
    <T> T retrying(String what, Step<T> step) throws InterruptedException {
        return attempts(what, step, new RetryStreak(what, policies.retry(), observer));
    }

    /** {@return the step's result, as {@link #retrying}, its first attempt having failed already with {@code first}} */
    <T> T retryingAfter(String what, RetriableException first, Step<T> step) throws InterruptedException {
        RetryStreak streak = new RetryStreak(what, policies.retry(), observer);
        backOff(what, streak, first);
        return attempts(what, step, streak);
    }

    private <T> T attempts(String what, Step<T> step, RetryStreak streak) throws InterruptedException {
        while (true) {
            try {
                T result = step.run();
                streak.succeeded();
                return result;
            } catch (RetriableException e) {
                backOff(what, streak, e);
            }
        }
    }

    private void backOff(String what, RetryStreak streak, RetriableException e) throws InterruptedException {
        Duration wait = streak.failed(e);
        LOG.warn("{} attempt {} failed, retrying in {} ms (gives up {}): {}", what, streak.failures(), wait.toMillis(),
                policies.retry().bound(), e.getMessage());
        sleeper.sleep(wait);
    }

    /**
     * {@return the flush's outcome once it completes} It fails as the flush failed, with the sink's own exception.
     *
     * @throws InterruptedException if the worker is stopped meanwhile; the flush goes on, unconfirmed
     */
    static FlushResult await(CompletableFuture<FlushResult> flush) throws InterruptedException {
        try {
            return flush.get();
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** Waits until the flush completes, however it completes. */
    static void awaitDone(CompletableFuture<FlushResult> flush) throws InterruptedException {
        try {
            flush.get();
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            // its outcome is read when it is settled
        }
    }

    /** {@return the failure, unchecked and as it was thrown, to be thrown} */
    static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new FlussoException("flush failed: " + cause, cause);
    }
}
