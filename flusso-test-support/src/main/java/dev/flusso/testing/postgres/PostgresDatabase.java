package dev.flusso.testing.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One test's database on a {@link PostgresServer}, reached as the superuser.
 *
 * @param server the cluster
 * @param name the database name
 */
public record PostgresDatabase(PostgresServer server, String name) {

    /** {@return the JDBC URL of this database, with the user} */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** {@return the URL as users write it in {@code flusso.toml}: {@code postgres://postgres@127.0.0.1:port/name}} */
    public String url() {
        return "postgres://" + PostgresServer.USER + "@127.0.0.1:" + server.port() + "/" + name;
    }

    /** {@return a new connection, in auto-commit mode} */
    public Connection connect() {
        try {
            return Jdbc.connect(jdbcUrl());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + jdbcUrl() + ": " + e.getMessage()
                    + "\nserver log:\n" + server.logTail(20), e);
        }
    }

    /**
     * Runs statements in one transaction.
     *
     * @param statements SQL statements, each may hold several commands separated by semicolons
     */
    public void execute(String... statements) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed on database '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Runs a query and returns every row, each as column label to value ({@code getObject}), in result order.
     *
     * @param sql the query
     * @return the rows
     */
    public List<Map<String, Object>> query(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<Map<String, Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on database '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Drops the database; its connections are ended. */
    public void drop() {
        try (Connection connection = Jdbc.connect(server.jdbcUrl("postgres"))) {
            connection.createStatement().execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database '" + name + "': " + e.getMessage(), e);
        }
    }
}
