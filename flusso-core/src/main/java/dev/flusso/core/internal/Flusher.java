package dev.flusso.core.internal;

import dev.flusso.api.FailurePolicies;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Observer;
import dev.flusso.api.RetriableException;
import dev.flusso.api.Sink;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes the sink, and runs the batch's build, retrying retriable failures (a lost connection, a busy server) with
 * backoff as the failure policies say.
 */
final class Flusher {

    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final Sink sink;
    private final FailurePolicies policies;
    private final Observer observer;
    private final Sleeper sleeper;

    Flusher(Sink sink, FailurePolicies policies, Observer observer, Sleeper sleeper) {
        this.sink = sink;
        this.policies = policies;
        this.observer = observer;
        this.sleeper = sleeper;
    }

    FlushResult flush() throws InterruptedException {
        return retrying("flush", sink::flush);
    }

    /** A step of a batch that may be run again from its start. */
    @FunctionalInterface
    interface Step<T> {
        T run();
    }

    /** {@return the step's result, after as many attempts as the policies allow for retriable failures} */
    <T> T retrying(String what, Step<T> step) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.run();
            } catch (RetriableException e) {
                if (attempt >= policies.flushAttempts()) {
                    throw new FlussoException(what + " failed " + attempt + " times; last error: " + e.getMessage(), e);
                }
                Duration wait = policies.backoffAfter(attempt);
                LOG.warn("{} attempt {} of {} failed, retrying in {} ms: {}", what, attempt, policies.flushAttempts(),
                        wait.toMillis(), e.getMessage());
                observer.flushRetrying(attempt, wait, e);
                sleeper.sleep(wait);
            }
        }
    }
}
