package dev.flusso.source.polling.internal;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.FlussoException;
import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The cursors in a table of the source database, one row per deployment ({@code state_name}) and polled table,
 * replaced in one transaction per save. Created when missing, which needs {@code CREATE} on its schema.
 */
final class TableStateStore implements StateStore {

    private final DataSource source;
    private final TableRef table;
    private final String name;
    private volatile Connection connection;

    TableStateStore(DataSource source, TableRef table, String name) {
        this.source = source;
        this.table = table;
        this.name = name;
    }

    @Override
    public synchronized Map<TableRef, TableCursor> load() {
        try {
            Connection c = connection();
            try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                exists.setString(1, Sql.table(table));
                try (ResultSet rows = exists.executeQuery()) {
                    rows.next();
                    if (!rows.getBoolean(1)) {
                        return null;
                    }
                }
            }
            Map<TableRef, TableCursor> cursors = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT table_schema, table_name, snapshot, floor FROM "
                    + Sql.table(table) + " WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        cursors.put(new TableRef(rows.getString(1), rows.getString(2)),
                                new TableCursor(XidSnapshot.parse(rows.getString(3)), rows.getString(4)));
                    }
                }
            }
            return cursors.isEmpty() ? null : cursors;
        } catch (SQLException e) {
            drop();
            throw SourceDatabase.failed("reading the polling state from table '" + table + "'", e);
        }
    }

    @Override
    public synchronized void prepare() {
        try (Statement statement = connection().createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + Sql.table(table) + " (name text NOT NULL, table_schema text NOT NULL,"
                    + " table_name text NOT NULL, snapshot text NOT NULL, floor text, saved_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (name, table_schema, table_name))");
        } catch (SQLException e) {
            drop();
            if ("42501".equals(e.getSQLState()) || "25006".equals(e.getSQLState())) {
                throw new ConfigurationException("cannot create the polling state table '" + table + "' (" + e.getMessage()
                        + "): grant the role CREATE on schema " + Sql.identifier(table.schema()) + ", create the table once as"
                        + " a role that may, or set state = \"file\" with state_file to keep the state locally", e);
            }
            throw SourceDatabase.failed("creating the polling state table '" + table + "'", e);
        }
    }

    @Override
    public synchronized void save(Map<TableRef, TableCursor> cursors) {
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + Sql.table(table) + " WHERE name = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO " + Sql.table(table)
                            + " (name, table_schema, table_name, snapshot, floor) VALUES (?, ?, ?, ?, ?)")) {
                delete.setString(1, name);
                delete.executeUpdate();
                for (Map.Entry<TableRef, TableCursor> entry : cursors.entrySet()) {
                    insert.setString(1, name);
                    insert.setString(2, entry.getKey().schema());
                    insert.setString(3, entry.getKey().name());
                    insert.setString(4, entry.getValue().snapshot().text());
                    insert.setString(5, entry.getValue().floor());
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            drop();
            if ("42501".equals(e.getSQLState())) {
                throw new FlussoException("the role may not write the polling state table '" + table + "': run GRANT SELECT,"
                        + " INSERT, DELETE ON " + Sql.table(table) + " TO <role>; or set state = \"file\"", e);
            }
            throw SourceDatabase.failed("saving the polling state to table '" + table + "'", e);
        }
    }

    @Override
    public String describe() {
        return "state table '" + table + "' (name '" + name + "')";
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = source.getConnection();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        drop();
    }
}
