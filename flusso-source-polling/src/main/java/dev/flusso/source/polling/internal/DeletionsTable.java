package dev.flusso.source.polling.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.Position;
import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The trigger-fed table of old rows: for every table the indexes read, an {@code AFTER UPDATE OR DELETE} row
 * trigger records the old row ({@code to_jsonb(OLD)}) and an {@code AFTER TRUNCATE} statement trigger records the
 * truncation. Polled like any table (by transaction snapshot), its rows become deletions, updates carrying the old
 * values (so a child moved to another parent rebuilds the old parent too, and a primary-key update deletes the
 * old document), and truncations. Rows whose changes are confirmed are deleted from it.
 *
 * <p>The trigger function is {@code SECURITY DEFINER}, owned by the role that created it, so the application's
 * roles need no privilege on the table.
 */
final class DeletionsTable {

    static final String ROW_TRIGGER = "flusso_old_rows";
    static final String TRUNCATE_TRIGGER = "flusso_truncates";

    private final TableRef table;
    private final int pageSize;

    DeletionsTable(TableRef table, int pageSize) {
        this.table = table;
        this.pageSize = pageSize;
    }

    TableRef table() {
        return table;
    }

    private String function() {
        return Sql.identifier(table.schema()) + "." + Sql.identifier(table.name() + "_record");
    }

    /**
     * Creates the table, its trigger function and the missing triggers, in one transaction; does nothing when all are
     * there (so a standby whose primary has them installed works too).
     */
    void install(Connection connection, Collection<TableRef> tables) {
        try {
            if (installed(connection, tables)) {
                return;
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + Sql.table(table) + " (seq bigserial PRIMARY KEY,"
                        + " table_schema text NOT NULL, table_name text NOT NULL, operation \"char\" NOT NULL, old_row jsonb,"
                        + " recorded_at timestamptz NOT NULL DEFAULT now())");
                statement.execute("CREATE OR REPLACE FUNCTION " + function() + "() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = pg_catalog AS $flusso$ BEGIN"
                        + " IF TG_OP = 'TRUNCATE' THEN INSERT INTO " + Sql.table(table)
                        + " (table_schema, table_name, operation) VALUES (TG_ARGV[0], TG_ARGV[1], 'T');"
                        + " ELSE INSERT INTO " + Sql.table(table) + " (table_schema, table_name, operation, old_row)"
                        + " VALUES (TG_ARGV[0], TG_ARGV[1], left(TG_OP, 1), to_jsonb(OLD)); END IF; RETURN NULL; END $flusso$");
                for (TableRef polled : tables) {
                    String arguments = "(" + Sql.literal(polled.schema()) + ", " + Sql.literal(polled.name()) + ")";
                    if (!hasTrigger(connection, polled, ROW_TRIGGER)) {
                        statement.execute("CREATE TRIGGER " + ROW_TRIGGER + " AFTER UPDATE OR DELETE ON " + Sql.table(polled)
                                + " FOR EACH ROW EXECUTE FUNCTION " + function() + arguments);
                    }
                    if (!hasTrigger(connection, polled, TRUNCATE_TRIGGER)) {
                        statement.execute("CREATE TRIGGER " + TRUNCATE_TRIGGER + " AFTER TRUNCATE ON " + Sql.table(polled)
                                + " FOR EACH STATEMENT EXECUTE FUNCTION " + function() + arguments);
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the failure below says why
            }
            if ("42501".equals(e.getSQLState()) || "25006".equals(e.getSQLState())) {
                throw new ConfigurationException("cannot install the deletions table '" + table + "' and its triggers ("
                        + e.getMessage() + "): the role needs CREATE on schema " + Sql.identifier(table.schema())
                        + " and must own the indexed tables (or hold TRIGGER on them); leave 'deletions_table' unset to"
                        + " detect root deletions with the sweep instead", e);
            }
            throw SourceDatabase.failed("installing the deletions table '" + table + "'", e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // reported by the next use
            }
        }
    }

    private boolean installed(Connection connection, Collection<TableRef> tables) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL"
                + " AND to_regprocedure(?) IS NOT NULL")) {
            statement.setString(1, Sql.table(table));
            statement.setString(2, function() + "()");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    return false;
                }
            }
        }
        for (TableRef polled : tables) {
            if (!hasTrigger(connection, polled, ROW_TRIGGER) || !hasTrigger(connection, polled, TRUNCATE_TRIGGER)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasTrigger(Connection connection, TableRef table, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_trigger WHERE tgrelid = CAST(? AS regclass)"
                + " AND tgname = ?")) {
            statement.setString(1, Sql.table(table));
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Emits, for one polled table, the old rows recorded between the two snapshots, in recording order.
     *
     * @param info the polled table
     * @param out receives each change, made with the version and a position from {@code positions}
     */
    void poll(Connection connection, TableInfo info, XidSnapshot from, XidSnapshot to, long version,
            Supplier<Position> positions, Emit out, BooleanSupplier stopped) throws SQLException, InterruptedException {
        List<String> columns = info.columns();
        StringBuilder sql = new StringBuilder("SELECT CAST(l.seq AS text), CAST(l.operation AS text)");
        for (String column : columns) {
            sql.append(", CAST(r.").append(Sql.identifier(column)).append(" AS text)");
        }
        sql.append(" FROM ").append(Sql.table(table)).append(" AS l").append(Window.lateral("l"))
                .append(" LEFT JOIN LATERAL jsonb_populate_record(CAST(NULL AS ").append(Sql.table(info.table()))
                .append("), l.old_row) AS r ON TRUE WHERE ").append(Window.condition())
                .append(" AND l.table_schema = ? AND l.table_name = ? AND l.seq > CAST(? AS bigint) ORDER BY l.seq LIMIT ?");
        String after = "0";
        boolean windowed = to.windowSafeAfter(from);
        while (!stopped.getAsBoolean()) {
            int read = 0;
            try (PreparedStatement statement = connection.prepareStatement(windowed ? sql.toString()
                    : sql.toString().replace(Window.condition(), "TRUE"))) {
                int index = 1;
                if (windowed) {
                    index = Window.bind(statement, index, from, to);
                } else {
                    statement.setLong(index++, to.xmax());
                    statement.setLong(index++, to.xmax() & 0xFFFF_FFFFL);
                }
                statement.setString(index++, info.table().schema());
                statement.setString(index++, info.table().name());
                statement.setString(index++, after);
                statement.setInt(index, pageSize);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        read++;
                        after = rows.getString(1);
                        out.change(change(info, rows, columns, version, positions));
                    }
                }
            }
            if (read < pageSize) {
                return;
            }
        }
    }

    private static Change change(TableInfo info, ResultSet rows, List<String> columns, long version, Supplier<Position> positions)
            throws SQLException {
        String operation = rows.getString(2);
        if (operation.equals("T")) {
            return Change.truncate(info.table(), version, positions.get());
        }
        Map<String, Object> old = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            old.put(columns.get(i), rows.getString(3 + i));
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : info.primaryKey()) {
            key.put(column, old.get(column));
        }
        if (operation.equals("D")) {
            return Change.delete(info.table(), key, old, version, positions.get());
        }
        // The old row of an update: its key and relating columns lead to the document it belonged to before.
        return Change.update(info.table(), key, old, Map.of(), version, positions.get());
    }

    /**
     * Deletes the recorded rows that a confirmed round has read: those of transactions older than the oldest one
     * running at its snapshot. Their changes are durable in the sink. (Not the snapshot's visibility: it would count a
     * savepoint's row of a transaction still running then as ended, and delete it unread.)
     */
    void prune(Connection connection, XidSnapshot confirmed) throws SQLException {
        // Widened relative to the current xmax, which every recorded row's xid lies below.
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + Sql.table(table) + " AS l USING"
                + " (SELECT CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) AS bigint) AS next) AS x"
                + " WHERE CAST(CAST(GREATEST(0, x.next - (((x.next % 4294967296)"
                + " - CAST(CAST(l.xmin AS text) AS bigint) + 4294967296) % 4294967296)) AS text) AS xid8)"
                + " < CAST(CAST(? AS text) AS xid8)")) {
            statement.setLong(1, confirmed.xmin());
            statement.executeUpdate();
        }
    }

    /** Receives one change; may block. */
    @FunctionalInterface
    interface Emit {
        void change(Change change) throws InterruptedException;
    }
}
