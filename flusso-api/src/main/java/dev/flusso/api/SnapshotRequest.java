package dev.flusso.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A backfill snapshot of one index's root table.
 *
 * @param index the logical index being seeded, never {@code null}
 * @param root the root table to read, never {@code null}
 * @param keyColumns its primary-key columns in key order, never empty
 * @param resumeAfter the checkpoint of the last row already flushed by an earlier, interrupted backfill, as the
 *     capture made it; empty to start from the first row
 */
public record SnapshotRequest(String index, TableRef root, List<String> keyColumns, Optional<String> resumeAfter) {

    public SnapshotRequest {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(root, "root");
        keyColumns = List.copyOf(keyColumns);
        Objects.requireNonNull(resumeAfter, "resumeAfter");
    }

    /** {@return a request for the whole root table of the index, resuming after the checkpoint if present} */
    public static SnapshotRequest of(IndexDefinition index, Optional<String> resumeAfter) {
        return new SnapshotRequest(index.name(), index.root(), index.keyColumns(), resumeAfter);
    }
}
