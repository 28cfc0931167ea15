package dev.flusso.postgres.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The builder's one connection, used by one thread at a time: opened on first use, in UTC, outside auto-commit
 * (so results stream), and reopened after it breaks.
 */
public final class Session implements AutoCloseable {

    /** Work done in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource source;
    private final String what;
    private Connection connection;

    public Session(DataSource source, String what) {
        this.source = source;
        this.what = what;
    }

    /** Runs the work in a read-only transaction; a lost connection is a retriable failure. */
    public <T> T read(String doing, Work<T> work) {
        try {
            Connection current = connection();
            try {
                T result = work.run(current);
                current.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(current);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(doing, e);
        }
    }

    /** {@return the exception for a failed statement: retriable when the connection or server is at fault} */
    public RuntimeException failure(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = what + ": " + doing + " failed: " + e.getMessage();
        // 08: connection; 53: resources; 57: operator intervention (shutdown); 40: serialization, deadlock.
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40")
                || state.isEmpty()) {
            close();
            return new RetriableException(message, e);
        }
        return new FlussoException(message, e);
    }

    private Connection connection() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return connection;
        }
        Connection opened = source.getConnection();
        try (Statement statement = opened.createStatement()) {
            // Timestamps are written with their zone, and floats with every digit that tells them apart.
            statement.execute("SET TIME ZONE 'UTC'; SET extra_float_digits = 1; SET datestyle = 'ISO'");
        }
        opened.setAutoCommit(false);
        opened.setReadOnly(true);
        connection = opened;
        return opened;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next use reopens it
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }
}
