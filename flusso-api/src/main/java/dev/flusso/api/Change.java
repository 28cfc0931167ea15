package dev.flusso.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One changed row, as the capture saw it.
 *
 * <p>A change names its row by primary key and carries the old and new values of the columns that relate it to
 * documents (foreign keys, filter and soft-delete columns). It need not carry every column: documents are always
 * built from the current rows, never from the change itself.
 *
 * @param operation what happened, never {@code null}
 * @param table the changed table; {@code null} only for {@link Operation#PROGRESS}
 * @param key the primary key after the change (before it, for a deletion); empty for {@link Operation#TRUNCATE}
 * @param oldValues relating columns before the change, as far as the source knows them; empty for an insert
 * @param newValues relating columns after the change; empty for a deletion
 * @param version the source position as of which the change is committed, as a number that grows with commit
 *     order (a commit LSN, for example); the documents it leads to carry it, so a sink can refuse stale writes
 * @param position where the change stands in the source's stream, never {@code null}
 */
public record Change(
        Operation operation,
        TableRef table,
        Map<String, Object> key,
        Map<String, Object> oldValues,
        Map<String, Object> newValues,
        long version,
        Position position) {

    public Change {
        Objects.requireNonNull(operation, "operation");
        if (operation != Operation.PROGRESS) {
            Objects.requireNonNull(table, "table");
        }
        Objects.requireNonNull(position, "position");
        key = frozen(key);
        oldValues = frozen(oldValues);
        newValues = frozen(newValues);
    }

    public static Change insert(TableRef table, Map<String, Object> key, Map<String, Object> values, long version, Position position) {
        return new Change(Operation.INSERT, table, key, Map.of(), values, version, position);
    }

    public static Change update(TableRef table, Map<String, Object> key, Map<String, Object> oldValues,
            Map<String, Object> newValues, long version, Position position) {
        return new Change(Operation.UPDATE, table, key, oldValues, newValues, version, position);
    }

    public static Change delete(TableRef table, Map<String, Object> key, Map<String, Object> oldValues, long version, Position position) {
        return new Change(Operation.DELETE, table, key, oldValues, Map.of(), version, position);
    }

    public static Change truncate(TableRef table, long version, Position position) {
        return new Change(Operation.TRUNCATE, table, Map.of(), Map.of(), Map.of(), version, position);
    }

    /**
     * The source moved on to {@code version} with nothing captured since its last change: see
     * {@link Operation#PROGRESS}.
     *
     * @param version the source position reached, newer than any change emitted before it
     * @param position where it stands in the stream, never {@code null}
     * @return the change
     */
    public static Change progress(long version, Position position) {
        return new Change(Operation.PROGRESS, null, Map.of(), Map.of(), Map.of(), version, position);
    }

    /** {@return whether this change only says the source moved on, and builds no document} */
    public boolean isProgress() {
        return operation == Operation.PROGRESS;
    }

    /**
     * A row read by a backfill snapshot of {@code position.index()}.
     *
     * @param table the root table, never {@code null}
     * @param key the row's primary key, never {@code null}
     * @param version the snapshot's version: the source position its rows are consistent with
     * @param position the index and resume checkpoint, never {@code null}
     * @return the change
     */
    public static Change snapshot(TableRef table, Map<String, Object> key, long version, SnapshotPosition position) {
        return new Change(Operation.SNAPSHOT, table, key, Map.of(), key, version, position);
    }

    /** {@return whether this row was read by a backfill snapshot} */
    public boolean isSnapshot() {
        return position instanceof SnapshotPosition;
    }

    private static Map<String, Object> frozen(Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        // Column values may be SQL NULL, which Map.copyOf refuses.
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
