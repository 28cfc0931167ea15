package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** What the capture reads from the catalog over a query connection: requirements, keys, partitioning, estimates. */
public final class SourceDatabase {

    private final Connection connection;

    public SourceDatabase(Connection connection) {
        this.connection = connection;
    }

    /**
     * Fails with the fix when the server cannot serve logical replication to this role.
     *
     * @throws FlussoException naming the setting or privilege and how to get it
     */
    public void checkRequirements() {
        try {
            if (Integer.parseInt(setting("server_version_num")) < 130000) {
                throw Problems.serverTooOld(setting("server_version"));
            }
            String level = setting("wal_level");
            if (!level.equals("logical")) {
                throw Problems.walLevel(level);
            }
            String encoding = setting("server_encoding");
            if (!encoding.equals("UTF8") && !encoding.equals("SQL_ASCII")) {
                throw Problems.encoding(encoding);
            }
            try (ResultSet row = connection.createStatement().executeQuery(
                    "SELECT current_user, rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
                if (row.next() && !row.getBoolean(2)) {
                    throw Problems.noReplicationPrivilege(row.getString(1));
                }
            }
        } catch (SQLException e) {
            throw failed("checking the server's settings", e);
        }
    }

    /**
     * {@return each table's primary-key columns in key order} Fails when a table does not exist.
     *
     * @param tables the tables the indexes read
     */
    public Map<TableRef, List<String>> primaryKeys(Set<TableRef> tables) {
        Map<TableRef, List<String>> keys = new LinkedHashMap<>();
        String sql = "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
                + " ORDER BY array_position(i.indkey::int2[], a.attnum)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (TableRef table : tables) {
                statement.setString(1, Sql.table(table));
                List<String> columns = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        columns.add(rows.getString(1));
                    }
                }
                keys.put(table, List.copyOf(columns));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                throw new FlussoException("a table the indexes read does not exist: " + e.getMessage()
                        + "; create it, or fix the index schema", e);
            }
            throw failed("reading primary keys", e);
        }
        return keys;
    }

    /**
     * Fails, before the publication is touched, for a table with neither a primary key nor a replica identity of its
     * own: once published for updates, PostgreSQL refuses the application's own UPDATE and DELETE on such a table.
     *
     * @param keys each table's primary-key columns, empty for none
     */
    public void requireIdentity(Map<TableRef, List<String>> keys) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relreplident FROM pg_class WHERE oid = ?::regclass")) {
            for (Map.Entry<TableRef, List<String>> table : keys.entrySet()) {
                if (!table.getValue().isEmpty()) {
                    continue;
                }
                statement.setString(1, Sql.table(table.getKey()));
                try (ResultSet row = statement.executeQuery()) {
                    String identity = row.next() ? row.getString(1) : "d";
                    if (!identity.equals("f") && !identity.equals("i")) {
                        throw new FlussoException("table '" + table.getKey() + "' has no primary key and no replica identity:"
                                + " publishing it would make PostgreSQL refuse the application's own UPDATE and DELETE on it,"
                                + " so flusso does not; add a primary key, or run ALTER TABLE " + Sql.table(table.getKey())
                                + " REPLICA IDENTITY FULL;");
                    }
                }
            }
        } catch (SQLException e) {
            throw failed("reading replica identities", e);
        }
    }

    /** {@return the tables among these that are partitioned (parents of partitions)} */
    public Set<TableRef> partitioned(Set<TableRef> tables) {
        Set<TableRef> partitioned = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relkind = 'p' FROM pg_class WHERE oid = ?::regclass")) {
            for (TableRef table : tables) {
                statement.setString(1, Sql.table(table));
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        partitioned.add(table);
                    }
                }
            }
        } catch (SQLException e) {
            throw failed("reading which tables are partitioned", e);
        }
        return partitioned;
    }

    /** {@return the planner's estimate of the table's rows (its partitions' for a partitioned table), if it has one} */
    public OptionalLong estimateRows(TableRef table) {
        String sql = "SELECT sum(c.reltuples) FILTER (WHERE c.reltuples >= 0), count(*) FILTER (WHERE c.reltuples >= 0)"
                + " FROM pg_class c WHERE c.relkind <> 'p' AND (c.oid = ?::regclass"
                + " OR c.oid IN (SELECT relid FROM pg_partition_tree(?::regclass) WHERE isleaf))";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, Sql.table(table));
            statement.setString(2, Sql.table(table));
            try (ResultSet row = statement.executeQuery()) {
                if (row.next() && row.getLong(2) > 0) {
                    return OptionalLong.of(row.getLong(1));
                }
            }
            return OptionalLong.empty();
        } catch (SQLException e) {
            throw failed("estimating the rows of '" + table + "'", e);
        }
    }

    /** {@return the type OIDs of the table's columns among {@code columns}, by name} */
    public Map<String, Integer> columnTypes(TableRef table, List<String> columns) {
        Map<String, Integer> types = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT attname, atttypid::int FROM pg_attribute"
                + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped")) {
            statement.setString(1, Sql.table(table));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (columns.contains(rows.getString(1))) {
                        types.put(rows.getString(1), rows.getInt(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw failed("reading the key column types of '" + table + "'", e);
        }
        return types;
    }

    /** {@return the server's {@code wal_sender_timeout} for this role and connection options; zero when off} */
    public Duration walSenderTimeout() {
        try (ResultSet row = connection.createStatement().executeQuery(
                "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_sender_timeout'")) {
            return row.next() ? Duration.ofMillis(row.getLong(1)) : Duration.ZERO;
        } catch (SQLException e) {
            throw failed("reading wal_sender_timeout", e);
        }
    }

    /** {@return the server's current WAL write position} */
    public long currentLsn() {
        try (ResultSet row = connection.createStatement().executeQuery("SELECT pg_current_wal_lsn()::text")) {
            row.next();
            return Lsn.parse(row.getString(1));
        } catch (SQLException e) {
            throw failed("reading the current WAL position", e);
        }
    }

    private String setting(String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    static FlussoException failed(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
            return new dev.flusso.api.RetriableException("lost the connection " + doing + ": " + e.getMessage(), e);
        }
        return new FlussoException("failed " + doing + ": " + e.getMessage(), e);
    }
}
