package dev.flusso.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Connections to a {@link ConnectionTarget}, made with the driver directly: {@code DriverManager} may not see pgjdbc
 * when Flusso loads it in a plugin's module layer.
 */
public final class PostgresConnections {

    private static final Driver DRIVER = new Driver();

    private PostgresConnections() {
    }

    /**
     * @param url any form {@link ConnectionTarget#parse} takes
     * @return a data source that opens a new connection per call
     * @throws dev.flusso.api.ConfigurationException if the URL is malformed; the message never shows the password
     */
    public static DataSource dataSource(String url) {
        return dataSource(ConnectionTarget.parse(url, "connection_url"));
    }

    /** {@return a data source that opens a new connection to the target per call} */
    public static DataSource dataSource(ConnectionTarget target) {
        return new OpeningDataSource(() -> connect(target, target.copy()));
    }

    /** {@return a data source whose every connection comes from the opener, such as a capture's own connections} */
    public static DataSource dataSource(Opener opener) {
        return new OpeningDataSource(opener);
    }

    /** Opens one connection. */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    /**
     * Opens a connection named {@code flusso}, with TCP keepalive and a 10 s connect timeout unless the properties
     * say otherwise. pgjdbc's messages name the host and port, never the password.
     *
     * @param target where to connect
     * @param properties the target's properties, possibly with more (such as replication)
     * @return the connection
     * @throws SQLException as pgjdbc reports it
     */
    public static Connection connect(ConnectionTarget target, Properties properties) throws SQLException {
        properties.putIfAbsent(PGProperty.APPLICATION_NAME.getName(), "flusso");
        properties.putIfAbsent(PGProperty.TCP_KEEP_ALIVE.getName(), "true");
        properties.putIfAbsent(PGProperty.CONNECT_TIMEOUT.getName(), "10");
        Connection connection = DRIVER.connect(target.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("'" + target.jdbcUrl() + "' is not a PostgreSQL JDBC URL", "08001");
        }
        return connection;
    }

    private record OpeningDataSource(Opener opener) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            return opener.open();
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
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLFeatureNotSupportedException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
