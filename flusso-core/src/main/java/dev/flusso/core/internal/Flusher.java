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

/** Flushes the sink, retrying retriable failures with backoff as the failure policies say. */
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
        for (int attempt = 1; ; attempt++) {
            try {
                return sink.flush();
            } catch (RetriableException e) {
                if (attempt >= policies.flushAttempts()) {
                    throw new FlussoException("flush failed " + attempt + " times; last error: " + e.getMessage(), e);
                }
                Duration wait = policies.backoffAfter(attempt);
                LOG.warn("flush attempt {} of {} failed, retrying in {} ms: {}", attempt, policies.flushAttempts(),
                        wait.toMillis(), e.getMessage());
                observer.flushRetrying(attempt, wait, e);
                sleeper.sleep(wait);
            }
        }
    }
}
