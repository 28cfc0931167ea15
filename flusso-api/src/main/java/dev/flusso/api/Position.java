package dev.flusso.api;

/**
 * Where a change stands in its source's stream: a log sequence number, an offset, a cursor.
 *
 * <p>Opaque to the engine, which only hands positions back to the capture that made them through
 * {@link ChangeCapture#confirm(Position)}. The one position the engine reads is {@link SnapshotPosition}, which
 * marks backfill rows.
 */
public interface Position {
}
