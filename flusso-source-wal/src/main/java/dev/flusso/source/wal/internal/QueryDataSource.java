package dev.flusso.source.wal.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The capture's query connections as a {@link DataSource}, for flusso-postgres's pager: the same target, TLS and
 * driver handling (created directly, not through {@code DriverManager}) as the capture's own connections.
 */
final class QueryDataSource implements DataSource {

    private final Connections connections;

    QueryDataSource(Connections connections) {
        this.connections = connections;
    }

    @Override
    public Connection getConnection() {
        return connections.query();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the user comes from connection_url");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
