package dev.flusso.api;

import java.time.Duration;

/**
 * The bounded buffer between the capture and the worker.
 *
 * <p>Lifecycle, in this order:
 * <ol>
 *   <li>{@link #open(PositionConfirmer)}, once, before anything else.
 *   <li>From then on, concurrently: the capture thread calls {@link #put} and {@link #offer}; the worker thread
 *       calls {@link #poll} and, after the batch's flush, {@link #acknowledge}.
 *   <li>{@link #close()}, once, from any thread.
 * </ol>
 *
 * <p>The queue decides when source positions are safe to confirm, and calls its {@link PositionConfirmer} then,
 * with positions in stream order. An in-process channel confirms a batch's positions when the worker acknowledges
 * it, after the flush. A durable broker confirms a position once the change is durable in the broker, and commits
 * its own offsets when the worker acknowledges. Either way, a change is never confirmed before something durable
 * holds it or its documents. Snapshot changes ({@link Change#isSnapshot()}) are never confirmed: the engine
 * records their checkpoints in the sink itself.
 *
 * <p>Bounded: when the queue holds {@link #capacity()} changes, {@code put} waits. Together with at most
 * {@link BatchPolicy#maxInFlight()} batches in the worker's hands, that bounds the changes the engine holds. Batches
 * are acknowledged in the order the worker took them.
 */
public interface ChangeQueue extends ChangeEmitter, AutoCloseable {

    /**
     * Prepares the queue. Called once, before any other method, on the engine's start thread; may block.
     *
     * @param confirmer what to call when source positions are safe to confirm, never {@code null}
     */
    void open(PositionConfirmer confirmer);

    /**
     * Takes the next batch: waits up to {@code wait} for a first change, then gathers what is ready, up to
     * {@link BatchPolicy#maxChanges()} changes; when nothing more is ready it returns, unless
     * {@link BatchPolicy#maxDelay()} lets it wait that long after the first for more. Worker thread only.
     *
     * @param policy the batch bounds, never {@code null}
     * @param wait how long to wait for a first change, never {@code null}
     * @return the batch, empty if nothing arrived within {@code wait}
     * @throws InterruptedException if the worker is interrupted: the run is stopping
     */
    ChangeBatch poll(BatchPolicy policy, Duration wait) throws InterruptedException;

    /**
     * Records that every document of the batch is durable in the sink. Worker thread only, after the flush; a batch
     * that is never acknowledged (a crash, a failed flush) is redelivered by the next run.
     *
     * @param batch a batch this queue returned from {@link #poll}, acknowledged at most once, never {@code null}
     */
    void acknowledge(ChangeBatch batch);

    /**
     * {@return whether changes handed to this queue outlive this process, so that capture and workers may run in
     * processes of their own} A durable queue also implements {@link #awaitAcknowledged}.
     *
     * @implSpec Returns {@code false}: an in-process queue.
     */
    default boolean isDurable() {
        return false;
    }

    /**
     * Waits until every change handed to this queue so far has been acknowledged by a worker, in this process or
     * another: a capture-only process calls it before it records a backfill as seeded. Engine's start thread; blocks.
     *
     * @param timeout how long to wait at most
     * @return whether every change was acknowledged in time
     * @throws InterruptedException if the run is stopping
     * @implSpec Throws {@link UnsupportedOperationException}: only a {@linkplain #isDurable() durable} queue is shared.
     */
    default boolean awaitAcknowledged(Duration timeout) throws InterruptedException {
        throw new UnsupportedOperationException("this queue lives in one process: run capture and workers together");
    }

    /** {@return how many changes the queue holds at most} */
    int capacity();

    /** {@return how many changes the queue holds now, waiting for the worker} */
    int size();

    /**
     * Releases the queue. Any thread: a waiting {@code put}, {@code offer} or {@code poll} returns or throws
     * promptly.
     *
     * @implSpec Does nothing.
     */
    @Override
    default void close() {
    }
}
