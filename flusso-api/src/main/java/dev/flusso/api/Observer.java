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
            public void retrying(String step, int failedAttempt, Duration failingFor, Duration wait, RuntimeException cause) {
                each.forEach(o -> o.retrying(step, failedAttempt, failingFor, wait, cause));
            }

            @Override
            public void recovered(String step, int failedAttempts, Duration outage) {
                each.forEach(o -> o.recovered(step, failedAttempts, outage));
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

    /**
     * A step failed for a passing reason and will be tried again after the wait, as the {@link RetryPolicy} says.
     * Until {@link #recovered} for the same step, the run is riding out an outage.
     *
     * @param step what failed, such as {@code build}, {@code flush} or {@code capture}
     * @param failedAttempt how many attempts have failed in a row, counting from 1
     * @param failingFor how long since the first of them failed
     * @param wait the wait before the next attempt
     * @param cause the last failure
     */
    default void retrying(String step, int failedAttempt, Duration failingFor, Duration wait, RuntimeException cause) {
    }

    /** A step that {@link #retrying} reported works again, after failing this many times over this long. */
    default void recovered(String step, int failedAttempts, Duration outage) {
    }

    /** The run failed; it stops with this cause. */
    default void failed(Throwable cause) {
    }
}
