package dev.flusso.source.polling.internal;

import java.util.Objects;

/**
 * One table's place: the snapshot its last completed poll ended at (rows of transactions that snapshot sees as
 * ended are done), and, for a table polled by a cursor column, the lowest column value the next poll reads.
 *
 * @param snapshot the snapshot the table's rows are done up to, never {@code null}
 * @param floor the cursor column's lower bound as PostgreSQL writes it, or {@code null} (no column, or none yet)
 */
record TableCursor(XidSnapshot snapshot, String floor) {

    TableCursor {
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
