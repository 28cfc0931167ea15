package dev.flusso.api;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Watches a run, for progress displays and metrics. Every method has a default that does nothing.
 *
 * <p>Methods are called on the engine's threads (the caller of {@code run}, the capture thread, the worker
 * thread), possibly concurrently: implementations are thread-safe, return quickly and never throw.
 */
public interface Observer {

    /** An observer that ignores everything. */
    Observer NONE = new Observer() { };

    /**
     * {@return an observer that tells each of these, in order}
     *
     * @param observers never {@code null}
     */
    static Observer all(Observer... observers) {
        List<Observer> each = List.of(observers);
        return new Observer() {
            @Override
            public void indexEnsured(IndexDefinition index) {
                each.forEach(o -> o.indexEnsured(index));
            }

            @Override
            public void backfillStarted(String index, OptionalLong estimatedRows, boolean resumed) {
                each.forEach(o -> o.backfillStarted(index, estimatedRows, resumed));
            }

            @Override
            public void backfillProgress(String index, long rowsFlushed) {
                each.forEach(o -> o.backfillProgress(index, rowsFlushed));
            }

            @Override
            public void backfillCompleted(String index, long rowsFlushed) {
                each.forEach(o -> o.backfillCompleted(index, rowsFlushed));
            }

            @Override
            public void liveStarted() {
                each.forEach(Observer::liveStarted);
            }

            @Override
            public void batchFlushed(BatchReport report) {
                each.forEach(o -> o.batchFlushed(report));
            }

            @Override
            public void sourceLag(long bytes, Duration behind) {
                each.forEach(o -> o.sourceLag(bytes, behind));
            }

            @Override
            public void rejected(Rejection rejection, RejectionPolicy handling) {
                each.forEach(o -> o.rejected(rejection, handling));
            }

            @Override
            public void flushRetrying(int failedAttempt, Duration wait, RuntimeException cause) {
                each.forEach(o -> o.flushRetrying(failedAttempt, wait, cause));
            }

            @Override
            public void failed(Throwable cause) {
                each.forEach(o -> o.failed(cause));
            }
        };
    }

    /** The sink has ensured the index and its mapping. */
    default void indexEnsured(IndexDefinition index) {
    }

    /** A backfill of the index starts (or resumes), with the source's estimate of its rows where it has one. */
    default void backfillStarted(String index, OptionalLong estimatedRows, boolean resumed) {
    }

    /** Rows of the index's backfill that are flushed so far, in this run. */
    default void backfillProgress(String index, long rowsFlushed) {
    }

    /** The index's backfill is flushed completely and the sink has recorded it as seeded. */
    default void backfillCompleted(String index, long rowsFlushed) {
    }

    /** Live capture has started. */
    default void liveStarted() {
    }

    /** A batch was flushed and acknowledged. */
    default void batchFlushed(BatchReport report) {
    }

    /**
     * How far the capture is behind its source, from captures that can tell: the bytes of change log the source
     * still retains past the confirmed position, and how long ago the oldest change not yet confirmed was committed
     * ({@link Duration#ZERO} when nothing is pending). Called from time to time on the capture thread.
     */
    default void sourceLag(long bytes, Duration behind) {
    }

    /** An item was rejected and handled by the given policy. */
    default void rejected(Rejection rejection, RejectionPolicy handling) {
    }

    /** A flush failed and will be tried again after the wait. */
    default void flushRetrying(int failedAttempt, Duration wait, RuntimeException cause) {
    }

    /** The run failed; it stops with this cause. */
    default void failed(Throwable cause) {
    }
}
