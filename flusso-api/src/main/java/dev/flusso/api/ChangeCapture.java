package dev.flusso.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Streams a source's changes, and snapshots its root tables for backfill.
 *
 * <p>Lifecycle, in this order:
 * <ol>
 *   <li>{@link #canResume()}, once, on the engine's start thread, then {@link #confirmedBeyond} for each index.
 *   <li>{@link #open()}, once, on the engine's start thread, after every index is ensured in the sink: connect and
 *       fix the point from which changes are streamed (a replication slot, a cursor), so that nothing committed
 *       after a snapshot starts can be missed.
 *   <li>{@link #snapshot} zero or more times, on the capture thread, one index at a time.
 *   <li>{@link #stream}, once, on the capture thread, until {@link #close()} or a failure. Where
 *       {@link #snapshotsWhileStreaming()} says so, {@link #snapshot} may also be called meanwhile, one index at a
 *       time, from another thread: a rebuild that does not pause live changes.
 *   <li>{@link #close()}, from any thread, possibly more than once (a stop and a failure may both close).
 * </ol>
 * {@link #confirm} may be called from another thread at any time after {@link #open()}, concurrently with the
 * rest: implementations make it thread-safe.
 *
 * <p>Guarantees an implementation gives: {@link #stream} starts from the last confirmed position, so every change
 * not confirmed before a crash is delivered again; changes are emitted in commit order; a change's
 * {@link Change#version() version} never decreases along the stream.
 */
public interface ChangeCapture extends AutoCloseable {

    /**
     * {@return whether the stream can resume where the last run's confirmations left it} Called once, before
     * {@link #open()}, which may then create what is missing; may connect. False when the source has lost its place
     * (a replication slot that is missing or invalidated): changes may have been missed, so the engine records every
     * index as unseeded, durably, before {@code open()} runs, and backfills them all from the first row. Asking
     * first makes that safe against a crash between the two.
     *
     * @implSpec Returns true.
     */
    default boolean canResume() {
        return true;
    }

    /**
     * {@return why the source may already have forgotten changes newer than {@code version}, or empty when it has
     * not} Called after {@link #canResume()} returned true and before {@link #open()}, once for every index whose
     * sink {@linkplain Sink#recordedVersion recorded} a version, when the sink's flushes are what the source is told
     * about (both roles in one process, over the in-process queue). A source confirmed past what the sink holds means
     * the sink lost writes, restored from an older backup, say: the engine then rebuilds the index. Compare with the
     * position {@code canResume} read: the sink is asked after it, so a process still confirming meanwhile cannot make
     * the sink look older than the source.
     *
     * @param version the highest version the sink recorded as durable
     * @implSpec Returns empty: this capture cannot tell.
     */
    default Optional<String> confirmedBeyond(long version) {
        return Optional.empty();
    }

    /**
     * {@return whether {@link #snapshot} may run on another thread while {@link #stream} runs} Both then hand their
     * changes to the same emitter, which takes one at a time. A snapshot taken while streaming reads the rows as
     * they are when it reads them, and versions them no newer than the changes streamed after it: the engine
     * builds every document from the rows as they are when it builds, so the newest version is also the newest
     * content.
     *
     * @implSpec Returns false: the engine then rebuilds an index by restarting, with live changes waiting meanwhile.
     */
    default boolean snapshotsWhileStreaming() {
        return false;
    }

    /**
     * Connects and fixes the stream's starting point. Called once before any snapshot or stream; may block.
     *
     * @implSpec Does nothing.
     */
    default void open() {
    }

    /**
     * {@return an estimate of the rows a snapshot will read, for progress, or empty where it is unknown}
     * Called on the capture thread before {@link #snapshot}; may block briefly.
     *
     * @param request the snapshot to estimate, never {@code null}
     * @implSpec Returns empty.
     */
    default OptionalLong estimateRows(SnapshotRequest request) {
        return OptionalLong.empty();
    }

    /**
     * Reads every row of the request's root table, from after its checkpoint on, as {@link Operation#SNAPSHOT}
     * changes in key order, each with a {@link SnapshotPosition} whose checkpoint resumes after that row. Every
     * row carries the same version: the source position that the snapshot is consistent with, so changes streamed
     * later carry newer versions. Returns when the table is read; blocks while the queue is full.
     *
     * @param request what to read, never {@code null}
     * @param out where to hand the rows, never {@code null}
     * @throws InterruptedException if the run stops meanwhile
     */
    void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException;

    /**
     * Emits the source's changes from the last confirmed position on, until {@link #close()} is called (then it
     * returns) or the source fails (then it throws; a {@link RetriableException} where the source may come back).
     *
     * @param out where to hand the changes, never {@code null}
     * @throws InterruptedException if the run stops meanwhile
     */
    void stream(ChangeEmitter out) throws InterruptedException;

    /**
     * Records that every change emitted up to and including {@code upTo} has its documents durable in the sink,
     * so the source may forget them. Positions arrive in stream order. Any thread; must not block for long.
     *
     * @param upTo a position this capture emitted, never a {@link SnapshotPosition}, never {@code null}
     */
    void confirm(Position upTo);

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
     * What an operator wants to see of this capture in {@code flusso status}: its confirmed position, how much change
     * log the source retains for it, and the like. Called from another thread than the run's, at any time while it
     * runs; must not block for long, and must not disturb the run.
     *
     * @implSpec The default has nothing to show.
     * @return names to plain values (strings, numbers, booleans); never {@code null}
     */
    default Map<String, Object> status() {
        return Map.of();
    }

    /**
     * Stops streaming and releases the source. Any thread, idempotent, and possibly before {@link #open()}: a
     * concurrent {@link #stream} or {@link #snapshot} returns or throws promptly. Confirmations already made stay
     * made.
     *
     * @implSpec Does nothing.
     */
    @Override
    default void close() {
    }
}
