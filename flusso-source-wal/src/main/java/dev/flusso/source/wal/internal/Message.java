package dev.flusso.source.wal.internal;

import java.util.List;
import java.util.Map;

/** A decoded pgoutput message (protocol version 1): only what the capture acts on. */
public sealed interface Message {

    /**
     * A transaction starts. pgoutput sends it only once the transaction has committed, so it already knows the
     * commit LSN: changes can be emitted as they arrive, with their final version.
     *
     * @param commitLsn the LSN of the transaction's commit record
     * @param xid the transaction id, for messages
     */
    record Begin(long commitLsn, int xid) implements Message {
    }

    /**
     * A transaction ends.
     *
     * @param commitLsn the LSN of its commit record
     * @param endLsn the LSN just past its commit record: confirming it tells the server the transaction is done
     */
    record Commit(long commitLsn, long endLsn) implements Message {
    }

    /** A table's current description; it replaces any earlier one of the same OID. */
    record RelationChanged(Relation relation) implements Message {
    }

    /**
     * An inserted, updated or deleted row.
     *
     * @param kind {@code I}, {@code U} or {@code D}
     * @param relation the table
     * @param old the old row: for {@code oldIsKey} only the replica identity columns, else every column sent;
     *     {@code null} when the message carries no old row
     * @param oldIsKey whether the old row is the replica identity only ({@code K}) rather than the whole row
     *     ({@code O}, with {@code REPLICA IDENTITY FULL})
     * @param row the new row for an insert or update, {@code null} for a deletion; an unchanged TOASTed value is
     *     absent
     */
    record Row(char kind, Relation relation, Map<String, Object> old, boolean oldIsKey, Map<String, Object> row)
            implements Message {
    }

    /**
     * Tables truncated in one statement.
     *
     * @param relations the tables
     * @param cascade whether {@code CASCADE} was given
     * @param restartIdentity whether {@code RESTART IDENTITY} was given
     */
    record Truncate(List<Relation> relations, boolean cascade, boolean restartIdentity) implements Message {
    }

    /**
     * A message the capture does not act on: Origin, Type, a logical decoding message.
     *
     * @param type its type byte
     */
    record Ignored(char type) implements Message {
    }
}
