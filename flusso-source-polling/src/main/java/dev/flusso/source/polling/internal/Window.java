package dev.flusso.source.polling.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The SQL that selects a table's rows written by transactions ended between two snapshots. A row's {@code xmin}
 * (32 bits) is widened to an {@code xid8} relative to the newer snapshot's {@code xmax}: exact for every id assigned
 * in the 2^32 ids before it, which covers every row version not yet frozen; ids assigned after the snapshot (the
 * query runs later) land far in the past, where both snapshots see them as ended, so they wait for the next round.
 */
final class Window {

    private Window() {
    }

    /** {@return a lateral join giving {@code w.fx}, the 64-bit id of {@code alias}'s row; binds two parameters} */
    static String lateral(String alias) {
        return " CROSS JOIN LATERAL (SELECT CAST(CAST(GREATEST(0, CAST(? AS bigint) - ((CAST(? AS bigint) - CAST(CAST(" + alias
                + ".xmin AS text) AS bigint) + 4294967296) % 4294967296)) AS text) AS xid8) AS fx) AS w";
    }

    /** {@return the condition on {@code w.fx}: ended as of the newer snapshot, not as of the older; binds two} */
    static String condition() {
        return "pg_visible_in_snapshot(w.fx, CAST(? AS pg_snapshot)) AND NOT pg_visible_in_snapshot(w.fx, CAST(? AS pg_snapshot))";
    }

    /** Binds the lateral join's and the condition's parameters from {@code index} on; returns the next index. */
    static int bind(PreparedStatement statement, int index, XidSnapshot from, XidSnapshot to) throws SQLException {
        statement.setLong(index++, to.xmax());
        statement.setLong(index++, to.xmax() & 0xFFFF_FFFFL);
        statement.setString(index++, to.text());
        statement.setString(index++, from.text());
        return index;
    }
}
