package dev.flusso.testing.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/** Connections made with the driver directly: {@code DriverManager} may not see it from a child module layer. */
final class Jdbc {

    private static final Driver DRIVER = new Driver();

    private Jdbc() {
    }

    static Connection connect(String url) throws SQLException {
        Connection connection = DRIVER.connect(url, new Properties());
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        return connection;
    }
}
