package dev.flusso.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Where documents go: buffers writes and deletions, makes them durable on {@link #flush()}, and remembers per
 * index whether it is seeded and how far a backfill got.
 *
 * <p>Lifecycle, in this order:
 * <ol>
 *   <li>{@link #ensureIndex} for every index, on every start, before anything else.
 *   <li>Then, on one thread at a time (the engine's worker, or its start thread between phases): {@link #isSeeded},
 *       {@link #backfillCheckpoint}, {@link #recordedVersion}, {@link #write}, {@link #recordVersion},
 *       {@link #flush} or {@link #flushAsync}, {@link #caughtUp}, {@link #deadLetter}, {@link #saveCheckpoint},
 *       {@link #markSeeded}.
 *   <li>{@link #close()}, once. From another thread, it makes a blocked call fail promptly.
 * </ol>
 *
 * <p>Guarantees an implementation gives: nothing written is reported durable before {@code flush} returns;
 * writing the same document id again replaces the document (writes are idempotent by id); state the sink keeps
 * about indexes (seeded, checkpoints) lives with the documents, so another machine sees the same.
 */
public interface Sink extends AutoCloseable {

    /**
     * Creates the index with its mapping, or checks that the existing one serves it. Idempotent; may block.
     *
     * @param index the index, never {@code null}
     */
    void ensureIndex(IndexDefinition index);

    /** {@return whether the index was fully backfilled at some point, so only live changes are needed} */
    boolean isSeeded(String index);

    /**
     * Records durably that the index is seeded. Called after the backfill's last flush.
     *
     * @param index the logical index name, never {@code null}
     */
    void markSeeded(String index);

    /**
     * Starts a rebuild of the index: records durably that it is not seeded and forgets its backfill checkpoint, because
     * the source lost its place and changes (deletions among them) may have been missed. From the {@link #markSeeded}
     * that ends the next complete backfill on, the index holds exactly the documents written since this call: any
     * document not written again is gone. A sink may build the new contents beside the old and swap them in, so that
     * searches are served throughout. Calling it again starts the rebuild over; durable across restarts.
     *
     * @param index the logical index name, never {@code null}
     * @implSpec Throws {@link UnsupportedOperationException}: a sink that keeps seeded state overrides it.
     */
    default void markUnseeded(String index) {
        throw new UnsupportedOperationException("this sink cannot record an index as unseeded");
    }

    /** {@return the checkpoint saved by an interrupted backfill of the index, or empty to start from the first row} */
    Optional<String> backfillCheckpoint(String index);

    /**
     * Records durably how far the index's backfill got: every row up to this checkpoint is flushed.
     *
     * @param index the logical index name, never {@code null}
     * @param checkpoint the capture's opaque checkpoint, never {@code null}
     */
    void saveCheckpoint(String index, String checkpoint);

    /**
     * Buffers a write or deletion. May flush internally when its buffer is full, but reports nothing durable
     * before {@link #flush()}.
     *
     * @param document the document, or a deletion, never {@code null}
     */
    void write(Document document);

    /**
     * Makes every buffered write durable, then empties the buffer.
     *
     * @return the items the destination refused for their content (a mapping or parse error); every other item
     *     is durable
     * @throws RetriableException if the flush could not complete but may later; the buffer is kept, so the same
     *     call may be made again
     * @throws FlussoException if the flush cannot complete; nothing may be assumed durable
     */
    FlushResult flush();

    /**
     * Starts making every buffered write durable, empties the buffer, and returns without waiting: the engine builds
     * its next batch, and writes it, while these writes travel. The engine keeps at most
     * {@link BatchPolicy#maxInFlight()} of these under way and settles them in the order it started them. While any is
     * under way it calls {@link #write}, {@link #recordVersion} and this method for the next batches, and, for a flush
     * that completed, {@link #deadLetter}, {@link #saveCheckpoint} and {@link #caughtUp}; the calls that change an
     * index's state ({@link #markSeeded}, {@link #markUnseeded}) wait until none is under way. Every call still comes
     * from one thread at a time. Flushes under way
     * may complete in any order: every write carries its version, so a later one is never undone by an earlier one.
     *
     * @return completes with the items refused for their content once every other write it carries is durable; or
     *     exceptionally, with a {@link RetriableException} when the writes could not be made durable but may be later
     *     (the sink keeps them, and the next flush carries them again), or with another exception when nothing may be
     *     assumed durable. A sink may throw these from this call instead, as {@link #flush()} does; the engine
     *     treats both alike, so writes the call did not take stay buffered for the next flush
     * @implSpec Calls {@link #flush()} on the calling thread and returns its outcome, completed: nothing overlaps.
     */
    default CompletableFuture<FlushResult> flushAsync() {
        try {
            return CompletableFuture.completedFuture(flush());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Tells the sink that the engine is caught up: a flush has just been settled whose batch took every change that
     * was waiting in the queue, so the engine keeps up with its source. A destination whose durable writes become visible to readers only later (a search
     * engine's periodic refresh) may make what it has made durable visible now. Under a backlog it is not called, so
     * the destination's own schedule applies; a steady stream of changes the engine keeps up with calls it after
     * nearly every flush, so a sink bounds how often it acts on it. Worker thread; must not block for long.
     *
     * @implSpec Does nothing.
     */
    default void caughtUp() {
    }

    /**
     * Records that every change up to this version has its documents durable here once the next {@link #flush()}
     * returns; that flush makes the record durable with them. The engine calls it before the flush of every batch,
     * with the batch's highest version, before the source is told its changes are durable. On a later
     * start it compares {@link #recordedVersion} with how far the source was told, and so finds a destination that
     * lost writes behind the engine's back, one restored from an older backup, say, and rebuilds its indexes instead
     * of leaving them silently short of the changes in between.
     *
     * @param version the highest version among the batch's changes
     * @implSpec Does nothing: the engine then cannot tell, and says so at start.
     */
    default void recordVersion(long version) {
    }

    /**
     * {@return the highest version {@link #recordVersion} made durable for the index's destination, or empty when
     * none was recorded or this sink does not record versions} Called on the start thread, after {@link #ensureIndex}.
     *
     * @param index the logical index name, never {@code null}
     * @implSpec Returns empty.
     */
    default OptionalLong recordedVersion(String index) {
        return OptionalLong.empty();
    }

    /** {@return whether this sink has a destination for dead letters} */
    default boolean supportsDeadLetters() {
        return false;
    }

    /**
     * Writes rejected items, with their reasons, durably to the dead-letter destination, from which they can be
     * inspected and re-driven.
     *
     * @param rejections the rejected items, never {@code null}
     * @implSpec Throws {@link UnsupportedOperationException}: see {@link #supportsDeadLetters()}.
     */
    default void deadLetter(List<Rejection> rejections) {
        throw new UnsupportedOperationException("this sink has no dead-letter destination");
    }

    /**
     * Reads dead letters back, for {@code flusso dead-letters list} and {@code redrive}. Called on the command's
     * thread, outside a run; may block.
     *
     * @param index the logical index name, never {@code null}
     * @param limit the most to return
     * @return the index's dead letters, oldest first, at most one per document (the latest); never {@code null}
     * @implSpec Throws {@link UnsupportedOperationException}: a sink with a dead-letter destination it can read
     *     overrides it.
     */
    default List<Rejection> deadLetters(String index, int limit) {
        throw new UnsupportedOperationException("this sink cannot read its dead letters back");
    }

    /**
     * Forgets the dead letters of these documents, once they have been re-driven and written. Durable when it
     * returns. Called on the command's thread, outside a run; may block.
     *
     * @param ids the documents, never {@code null}
     * @implSpec Throws {@link UnsupportedOperationException}, as {@link #deadLetters} does.
     */
    default void forgetDeadLetters(List<DocumentId> ids) {
        throw new UnsupportedOperationException("this sink cannot read its dead letters back");
    }

    /**
     * Checks this edge against the real thing before a run, for {@code flusso check}: connects, looks, changes
     * nothing. Called on the command's thread, instead of a run; may block.
     *
     * @implSpec The default finds nothing to check.
     * @return what was found, errors first is not required; never {@code null}
     */
    default List<Finding> check() {
        return List.of();
    }

    /**
     * What an operator wants to see of one index in this sink in {@code flusso status}: its concrete generation,
     * whether it is seeded, how many documents it holds, and the like. Called from another thread than the run's, at
     * any time while it runs; must not block for long, and must not disturb the run.
     *
     * @implSpec The default has nothing to show.
     * @param index the index's logical name
     * @return names to plain values (strings, numbers, booleans); never {@code null}
     */
    default Map<String, Object> status(String index) {
        return Map.of();
    }

    /**
     * Releases the destination. Buffered, unflushed writes are dropped (they were never reported durable).
     *
     * @implSpec Does nothing.
     */
    @Override
    default void close() {
    }
}
