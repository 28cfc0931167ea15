package dev.flusso.api;

import java.util.Objects;

/**
 * The position of a row read by a backfill snapshot: the index it seeds, and the checkpoint from which a snapshot
 * interrupted after this row resumes. Snapshot rows are never confirmed to the capture; the engine saves their
 * checkpoint in the sink once they are flushed.
 *
 * @param index the index being backfilled, never {@code null}
 * @param checkpoint an opaque resume token made by the capture, never {@code null}
 */
public record SnapshotPosition(String index, String checkpoint) implements Position {

    public SnapshotPosition {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(checkpoint, "checkpoint");
    }
}
