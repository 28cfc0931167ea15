package dev.flusso.source.wal.internal;

import dev.flusso.api.Position;

/**
 * Where a streamed change stands: its transaction, named by its commit LSN (the only LSN that orders transactions
 * globally), and its ordinal among the changes emitted for that transaction. A redelivered transaction gets the
 * same positions again, so a confirmation made before a reconnect still means the same changes after it.
 *
 * @param commitLsn the commit LSN of the change's transaction, also the change's version
 * @param ordinal the change's index among its transaction's emitted changes, from 0
 */
public record WalPosition(long commitLsn, long ordinal) implements Position, Comparable<WalPosition> {

    @Override
    public int compareTo(WalPosition other) {
        int byCommit = Long.compare(commitLsn, other.commitLsn);
        return byCommit != 0 ? byCommit : Long.compare(ordinal, other.ordinal);
    }

    @Override
    public String toString() {
        return Lsn.format(commitLsn) + "#" + ordinal;
    }
}
