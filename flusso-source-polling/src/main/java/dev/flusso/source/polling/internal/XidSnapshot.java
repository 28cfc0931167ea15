package dev.flusso.source.polling.internal;

import dev.flusso.api.FlussoException;

/**
 * A transaction snapshot as PostgreSQL writes a {@code pg_snapshot}: {@code xmin:xmax:xip,…}, with 64-bit
 * transaction ids (epoch and xid), so comparing two never suffers from 32-bit wraparound. Every transaction below
 * {@code xmin} had ended when the snapshot was taken; those from {@code xmin} up to {@code xmax} had ended unless
 * listed in {@code xip}; none from {@code xmax} on had started.
 *
 * @param text the snapshot as PostgreSQL wrote it, passed back to it unchanged
 * @param xmin the oldest transaction still running, or {@code xmax} when none was
 * @param xmax the first transaction id not yet assigned
 */
record XidSnapshot(String text, long xmin, long xmax) {

    /** The distance beyond which a 32-bit xid no longer maps to one 64-bit id: a table is then read whole. */
    static final long SAFE_SPAN = 1L << 31;

    static XidSnapshot parse(String text) {
        String[] parts = text.split(":", -1);
        try {
            if (parts.length != 3) {
                throw new NumberFormatException("expected xmin:xmax:xip");
            }
            return new XidSnapshot(text, Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            throw new FlussoException("'" + text + "' is not a transaction snapshot (xmin:xmax:xip,…): the polling"
                    + " state was not written by this capture", e);
        }
    }

    /**
     * {@return whether every transaction that ended between {@code earlier} and this snapshot can be told apart by
     * its 32-bit xid alone} When not, the table is read whole once, which emits every row, and nothing is missed.
     */
    boolean windowSafeAfter(XidSnapshot earlier) {
        return earlier.xmin <= xmax && xmax - earlier.xmin < SAFE_SPAN;
    }

    @Override
    public String toString() {
        return text;
    }
}
