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
    SNAPSHOT
}
