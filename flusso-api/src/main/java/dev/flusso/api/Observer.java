package dev.flusso.api;

import java.time.Duration;
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
