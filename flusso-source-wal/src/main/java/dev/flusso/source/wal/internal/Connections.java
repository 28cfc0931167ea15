package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.postgres.ConnectionTarget;
import dev.flusso.postgres.PostgresConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;

/**
 * Opens query and replication connections with the same target, so TLS applies to both.
 */
public final class Connections {

    private final ConnectionTarget target;

    public Connections(ConnectionTarget target) {
        this.target = target;
    }

    /** {@return a new query connection in auto-commit mode} */
    public Connection query() {
        return connect(target.copy(), "query");
    }

    /** {@return a new logical replication connection to the target's database} */
    public PGConnection replication() {
        Properties properties = target.copy();
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        try {
            return connect(properties, "replication").unwrap(PGConnection.class);
        } catch (SQLException e) {
            throw new FlussoException("the replication connection to " + target + " is not a pgjdbc connection", e);
        }
    }

    /** {@return the target, for messages} */
    public ConnectionTarget target() {
        return target;
    }

    private Connection connect(Properties properties, String kind) {
        try {
            return PostgresConnections.connect(target, properties);
        } catch (SQLException e) {
            throw Problems.connecting(kind, target, e);
        }
    }
}
