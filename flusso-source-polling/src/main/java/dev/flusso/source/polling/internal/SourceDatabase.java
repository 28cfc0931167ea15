package dev.flusso.source.polling.internal;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog and server reads the capture makes: the round's horizon, each table's columns and key. */
final class SourceDatabase {

    private final Connection connection;

    SourceDatabase(Connection connection) {
        this.connection = connection;
    }

    /**
     * {@return the snapshot and WAL position that close a poll round} Read in one statement of a REPEATABLE READ
     * transaction: the position is read after the snapshot is taken, so it is at least the commit LSN of every
     * transaction the snapshot sees as ended. On a standby the replay position stands in for the insert position.
     */
    Horizon horizon() {
        String sql = "SELECT CAST(pg_current_snapshot() AS text), CAST((CASE WHEN pg_is_in_recovery()"
                + " THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END) - CAST('0/0' AS pg_lsn) AS bigint)";
        try {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                Horizon horizon = new Horizon(XidSnapshot.parse(rows.getString(1)), rows.getLong(2));
                connection.commit();
                return horizon;
            } finally {
                if (!connection.isClosed()) {
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    connection.setAutoCommit(auto);
                }
            }
        } catch (SQLException e) {
            throw failed("reading the transaction snapshot", e);
        }
    }

    /** Checks the server: PostgreSQL 13 or later, for {@code pg_snapshot} and {@code xid8}. */
    void checkServer() {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rows.next();
            int version = rows.getInt(1);
            if (version < 130000) {
                throw new ConfigurationException("the polling capture needs PostgreSQL 13 or later (pg_snapshot, xid8);"
                        + " the server is version " + version);
            }
        } catch (SQLException e) {
            throw failed("reading the server version", e);
        }
    }

    /**
     * {@return each table's columns and primary key}
     *
     * @throws ConfigurationException naming a table that is missing or that the role may not read
     */
    Map<TableRef, TableInfo> tables(Iterable<TableRef> tables) {
        Map<TableRef, TableInfo> out = new LinkedHashMap<>();
        for (TableRef table : tables) {
            out.put(table, table(table));
        }
        return out;
    }

    private TableInfo table(TableRef table) {
        try {
            long oid;
            try (PreparedStatement statement = connection.prepareStatement("SELECT c.oid, has_table_privilege(c.oid, 'SELECT')"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?"
                    + " AND c.relkind IN ('r', 'p')")) {
                statement.setString(1, table.schema());
                statement.setString(2, table.name());
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        throw new ConfigurationException("table '" + table + "' does not exist (or is not a table): the"
                                + " polling capture reads every table the indexes read");
                    }
                    if (!rows.getBoolean(2)) {
                        throw new ConfigurationException("table '" + table + "': the role may not read it; run GRANT SELECT ON "
                                + Sql.table(table) + " TO <role>;");
                    }
                    oid = rows.getLong(1);
                }
            }
            Map<String, String> columns = new LinkedHashMap<>();
            Map<String, String> categories = new LinkedHashMap<>();
            List<String> notNull = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                    + " t.typcategory, a.attnotnull FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                    + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
                statement.setLong(1, oid);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        columns.put(rows.getString(1), rows.getString(2));
                        categories.put(rows.getString(1), rows.getString(3));
                        if (rows.getBoolean(4)) {
                            notNull.add(rows.getString(1));
                        }
                    }
                }
            }
            List<String> key = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT a.attname FROM pg_index i"
                    + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                    + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                    + " WHERE i.indrelid = ? AND i.indisprimary ORDER BY k.n")) {
                statement.setLong(1, oid);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        key.add(rows.getString(1));
                    }
                }
            }
            return new TableInfo(table, columns, categories, notNull, key);
        } catch (SQLException e) {
            throw failed("reading the catalog of table '" + table + "'", e);
        }
    }

    /** {@return the failure for a statement: retriable when the connection or the server is at fault} */
    static FlussoException failed(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = "polling capture: " + doing + " failed: " + e.getMessage();
        // 08: connection; 53: resources; 57: operator intervention (shutdown); 40: serialization, deadlock.
        if (state.isEmpty() || state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("40")) {
            return new RetriableException(message, e);
        }
        return new FlussoException(message, e);
    }
}
