package dev.flusso.source.polling.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The SQL that selects a table's rows that may have been written since the older snapshot: those whose transaction
 * id is at least its {@code xmin}, the oldest transaction then running. A row's {@code xmin} (32 bits) is widened to
 * an {@code xid8} relative to the newer snapshot's {@code xmax}: exact for every id assigned in the 2^32 ids before
 * it, which covers every row version not yet frozen; ids assigned after the newer snapshot (the query runs later)
 * land far in the past and wait for the next round, whose window starts at or below them.
 *
 * <p>The older snapshot's list of running transactions is deliberately not used: it names top-level transactions
 * only, so a row written under a savepoint (a subtransaction, with an id of its own) of a transaction running then
 * would look ended and be skipped for good; and on a hot standby the list is empty. Every id of a transaction
 * running at the older snapshot, its subtransactions' included, is at least that snapshot's {@code xmin}. The price
 * is duplicates: rows of transactions that ended between {@code xmin} and {@code xmax} of the older snapshot are
 * read again, for as long as an older transaction that has written stays open.
 */
final class Window {

    private Window() {
    }

    /** {@return a lateral join giving {@code w.fx}, the 64-bit id of {@code alias}'s row; binds two parameters} */
    static String lateral(String alias) {
        return " CROSS JOIN LATERAL (SELECT CAST(CAST(GREATEST(0, CAST(? AS bigint) - ((CAST(? AS bigint) - CAST(CAST(" + alias
                + ".xmin AS text) AS bigint) + 4294967296) % 4294967296)) AS text) AS xid8) AS fx) AS w";
    }

    /**
     * {@return the condition on {@code w.fx}: not ended before the older snapshot's oldest running transaction, and
     * not running at the newer snapshot; binds two} The second half only spares a duplicate: a transaction running at
     * the newer snapshot that commits before the read is read by the next round anyway.
     */
    static String condition() {
        return "w.fx >= CAST(CAST(? AS text) AS xid8) AND pg_visible_in_snapshot(w.fx, CAST(? AS pg_snapshot))";
    }

    /** Binds the lateral join's and the condition's parameters from {@code index} on; returns the next index. */
    static int bind(PreparedStatement statement, int index, XidSnapshot from, XidSnapshot to) throws SQLException {
        statement.setLong(index++, to.xmax());
        statement.setLong(index++, to.xmax() & 0xFFFF_FFFFL);
        statement.setLong(index++, from.xmin());
        statement.setString(index++, to.text());
        return index;
    }
}
