package dev.flusso.source.polling.internal;

import dev.flusso.api.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Polls one table: reads the rows whose current version was written by a transaction that the new snapshot sees as
 * ended and the table's cursor snapshot did not, handing them on a page at a time. So a transaction that commits after
 * a later one is read by the first poll whose snapshot sees it ended, whatever its id; and a row is read once per
 * committed write, not once per poll.
 *
 * <p>A row's {@code xmin} is a 32-bit transaction id. It is widened to the 64-bit {@code xid8} relative to the new
 * snapshot's {@code xmax} (ids assigned within 2^32 before it map exactly), then compared with
 * {@code pg_visible_in_snapshot}, so xid wraparound never confuses old with new. When the cursor lies 2^31 or more
 * transactions back, the table is read whole once instead.
 *
 * <p>Without a cursor column the table is scanned once per round. With one, only rows whose column is at least the
 * cursor's floor are read, in keyset pages ordered by the column and the primary key (an index on both makes each
 * page a range scan); the floor follows the newest value read, less the lookback.
 */
final class TablePoller {

    /** Receives one page of rows; may block (the queue is full). */
    @FunctionalInterface
    interface Pages {
        void page(List<PolledRow> rows) throws InterruptedException;
    }

    private static final Duration DEFAULT_TIME_LOOKBACK = Duration.ofMinutes(10);
    private static final long DEFAULT_VALUE_LOOKBACK = 100_000;

    private final TableInfo info;
    private final String cursorColumn;
    private final Object lookback;
    private final int pageSize;
    private final List<String> order = new ArrayList<>();

    /**
     * @param info the table
     * @param cursorColumn the column polled by value, or {@code null} to scan by snapshot alone
     * @param lookback the configured lookback, or {@code null} for the default
     * @param pageSize the most rows per statement
     * @throws ConfigurationException if the cursor column is missing, nullable, or neither date/time nor numeric
     */
    TablePoller(TableInfo info, String cursorColumn, Object lookback, int pageSize) {
        this.info = info;
        this.cursorColumn = cursorColumn;
        this.pageSize = pageSize;
        if (cursorColumn != null) {
            String category = info.categories().get(cursorColumn);
            if (category == null) {
                throw new ConfigurationException("table '" + info.table() + "': cursor column '" + cursorColumn
                        + "' does not exist");
            }
            if (!category.equals("D") && !category.equals("N")) {
                throw new ConfigurationException("table '" + info.table() + "', cursor column '" + cursorColumn + "' is of type "
                        + info.types().get(cursorColumn) + ": expected a date/time or numeric column that grows with every write");
            }
            if (!info.notNull().contains(cursorColumn)) {
                throw new ConfigurationException("table '" + info.table() + "', cursor column '" + cursorColumn + "' may be NULL,"
                        + " and a row whose cursor is NULL would never be polled: run ALTER TABLE " + Sql.table(info.table())
                        + " ALTER COLUMN " + Sql.identifier(cursorColumn) + " SET NOT NULL; or poll the table without a cursor column");
            }
            if (category.equals("D") && lookback instanceof Long || category.equals("N") && lookback instanceof Duration) {
                throw new ConfigurationException("table '" + info.table() + "', cursor column '" + cursorColumn + "' ("
                        + info.types().get(cursorColumn) + "): 'cursor_lookback' must be "
                        + (category.equals("D") ? "a duration, such as \"10m\"" : "a whole number") + " for it");
            }
            order.add(cursorColumn);
        }
        this.lookback = lookback != null ? lookback
                : cursorColumn == null ? null : info.categories().get(cursorColumn).equals("D") ? DEFAULT_TIME_LOOKBACK : DEFAULT_VALUE_LOOKBACK;
        if (info.primaryKey().isEmpty()) {
            order.add("ctid");
        } else {
            order.addAll(info.primaryKey());
        }
    }

    TableInfo info() {
        return info;
    }

    /**
     * Reads the table's rows written between the cursor and the horizon.
     *
     * @return the cursor to store once those rows are confirmed
     */
    TableCursor poll(Connection connection, TableCursor from, Horizon to, Pages out, BooleanSupplier stopped)
            throws InterruptedException, SQLException {
        boolean windowed = to.snapshot().windowSafeAfter(from.snapshot());
        if (cursorColumn == null) {
            scan(connection, from, to, windowed, out, stopped);
            return new TableCursor(to.snapshot(), null);
        }
        String sql = query(windowed, from.floor() != null);
        List<String> after = null;
        String newest = null;
        while (!stopped.getAsBoolean()) {
            List<PolledRow> rows = new ArrayList<>();
            List<String> last = null;
            try (PreparedStatement statement = connection.prepareStatement(after == null ? sql : sql.replace("/*after*/", after()))) {
                int index = 1;
                if (windowed) {
                    index = Window.bind(statement, index, from.snapshot(), to.snapshot());
                }
                if (from.floor() != null) {
                    statement.setString(index++, from.floor());
                }
                if (after != null) {
                    for (String value : after) {
                        statement.setString(index++, value);
                    }
                }
                statement.setInt(index, pageSize);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        last = new ArrayList<>(order.size());
                        for (int i = 1; i <= order.size(); i++) {
                            last.add(result.getString(i));
                        }
                        rows.add(row(result, order.size() + 1));
                    }
                }
            }
            if (!rows.isEmpty()) {
                out.page(rows);
                after = last;
                if (cursorColumn != null) {
                    newest = last.get(0);
                }
            }
            if (rows.size() < pageSize) {
                break;
            }
        }
        return new TableCursor(to.snapshot(), newest == null ? from.floor() : floor(connection, from.floor(), newest));
    }

    /**
     * Reads the whole window in one statement, in no particular order, through a cursor that fetches a page at a time:
     * one scan of the table however many rows match (keyset pages would scan the table once per page, or walk the
     * whole primary-key index when few rows match). The statement's transaction stays open while a full queue makes
     * a page wait, which holds back vacuum meanwhile; it ends with the table.
     */
    private void scan(Connection connection, TableCursor from, Horizon to, boolean windowed, Pages out, BooleanSupplier stopped)
            throws InterruptedException, SQLException {
        List<String> selected = new ArrayList<>();
        for (String column : info.columns()) {
            selected.add("CAST(t." + Sql.identifier(column) + " AS text)");
        }
        String sql = "SELECT " + String.join(", ", selected) + " FROM " + Sql.table(info.table()) + " AS t"
                + (windowed ? Window.lateral("t") + " WHERE " + Window.condition() : "");
        boolean auto = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(pageSize);
            if (windowed) {
                Window.bind(statement, 1, from.snapshot(), to.snapshot());
            }
            try (ResultSet result = statement.executeQuery()) {
                List<PolledRow> rows = new ArrayList<>();
                while (!stopped.getAsBoolean() && result.next()) {
                    rows.add(row(result, 1));
                    if (rows.size() == pageSize) {
                        out.page(rows);
                        rows = new ArrayList<>();
                    }
                }
                if (!rows.isEmpty() && !stopped.getAsBoolean()) {
                    out.page(rows);
                }
            }
            connection.commit();
        } finally {
            if (!connection.isClosed()) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                connection.setAutoCommit(auto);
            }
        }
    }

    private PolledRow row(ResultSet result, int first) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        int index = first;
        for (String column : info.columns()) {
            values.put(column, result.getString(index++));
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : info.primaryKey()) {
            key.put(column, values.get(column));
        }
        return new PolledRow(Collections.unmodifiableMap(key), values);
    }

    private String query(boolean windowed, boolean floored) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> selected = new ArrayList<>();
        for (String column : order) {
            selected.add("CAST(" + column(column) + " AS text)");
        }
        for (String column : info.columns()) {
            selected.add("CAST(t." + Sql.identifier(column) + " AS text)");
        }
        sql.append(String.join(", ", selected)).append(" FROM ").append(Sql.table(info.table())).append(" AS t");
        List<String> conditions = new ArrayList<>();
        if (windowed) {
            sql.append(Window.lateral("t"));
            conditions.add(Window.condition());
        }
        if (floored) {
            conditions.add(column(cursorColumn) + " >= " + bound(cursorColumn));
        }
        conditions.add("/*after*/TRUE");
        sql.append(" WHERE ").append(String.join(" AND ", conditions));
        sql.append(" ORDER BY ").append(String.join(", ", order.stream().map(this::column).toList())).append(" LIMIT ?");
        return sql.toString();
    }

    private String after() {
        List<String> bounds = order.stream().map(this::bound).toList();
        List<String> tuple = order.stream().map(this::column).toList();
        return "(" + String.join(", ", tuple) + ") > (" + String.join(", ", bounds) + ") AND ";
    }

    private String column(String name) {
        return name.equals("ctid") && info.primaryKey().isEmpty() ? "t.ctid" : "t." + Sql.identifier(name);
    }

    private String bound(String name) {
        String type = name.equals("ctid") && info.primaryKey().isEmpty() ? "tid" : info.types().get(name);
        return "CAST(CAST(? AS text) AS " + type + ")";
    }

    /** {@return the next floor: the newest value read less the lookback, never below the current floor} */
    private String floor(Connection connection, String current, String newest) throws SQLException {
        String type = info.types().get(cursorColumn);
        String less = lookback instanceof Duration ? "CAST(? AS interval)" : "CAST(? AS numeric)";
        String lowered = "CAST(CAST(CAST(? AS text) AS " + type + ") - " + less + " AS " + type + ")";
        String sql = "SELECT CAST(" + (current == null ? lowered : "GREATEST(CAST(CAST(? AS text) AS " + type + "), " + lowered + ")")
                + " AS text)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            if (current != null) {
                statement.setString(index++, current);
            }
            statement.setString(index++, newest);
            statement.setString(index, lookback instanceof Duration duration ? duration.toMillis() + " milliseconds" : lookback.toString());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }
}
