package dev.flusso.source.polling.internal;

/**
 * What one poll round reads first, in one statement: the transaction snapshot that closes the round's window, and
 * the WAL position as of which everything that snapshot sees is committed.
 *
 * @param snapshot the snapshot; rows of transactions it sees as ended, and the previous one did not, are polled
 * @param version the WAL insert position (on a standby, the replay position) read after the snapshot was taken:
 *     at least the commit LSN of every transaction the snapshot sees, and never smaller than an earlier round's
 */
record Horizon(XidSnapshot snapshot, long version) {
}
