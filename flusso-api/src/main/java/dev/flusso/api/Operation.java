package dev.flusso.api;

/** What happened to a row. */
public enum Operation {
    /** A row was inserted. */
    INSERT,
    /** A row was updated; its key may have changed. */
    UPDATE,
    /** A row was deleted. */
    DELETE,
    /** Every row of the table was removed. The change carries no key. */
    TRUNCATE,
    /** A row read by a backfill snapshot: it exists as of the snapshot's version. */
    SNAPSHOT,
    /**
     * No row changed: the source moved on to this change's version with nothing captured since the last change (a
     * heartbeat, traffic on other tables). The change carries no table and no key and builds no document; it travels
     * the same path as the others so that the source forgets the stretch only once the sink has recorded it.
     */
    PROGRESS
}
