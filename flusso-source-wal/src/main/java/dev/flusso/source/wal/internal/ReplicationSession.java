package dev.flusso.source.wal.internal;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * One replication connection streaming the slot through pgoutput. Capture thread only: pgjdbc's stream is not
 * thread-safe. The driver's automatic flush is off, so only {@link #report} moves the flushed position.
 */
final class ReplicationSession implements AutoCloseable {

    private final PGConnection connection;
    private final PGReplicationStream stream;

    private ReplicationSession(PGConnection connection, PGReplicationStream stream) {
        this.connection = connection;
        this.stream = stream;
    }

    /**
     * Starts streaming from the slot. The server starts at the slot's confirmed position whatever is asked; asking
     * for it keeps the driver's first status update from reporting position zero.
     */
    static ReplicationSession start(Connections connections, WalSettings settings, long from) throws SQLException {
        PGConnection connection = connections.replication();
        try {
            PGReplicationStream stream = connection.getReplicationAPI().replicationStream().logical()
                    .withSlotName(settings.slot())
                    .withStartPosition(LogSequenceNumber.valueOf(from))
                    .withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", settings.publication())
                    .withStatusInterval(millis(settings.statusInterval()), TimeUnit.MILLISECONDS)
                    .withAutomaticFlush(false)
                    .start();
            ReplicationSession session = new ReplicationSession(connection, stream);
            session.report(from);
            return session;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** {@return the next message, or null when none waits; answers keepalives and sends due status updates} */
    ByteBuffer readPending() throws SQLException {
        return stream.readPending();
    }

    /** {@return the server process (walsender) serving this stream} */
    int backendPid() {
        return connection.getBackendPID();
    }

    /** {@return the furthest position the stream has shown: a keepalive's WAL end or the last message's start} */
    long serverLsn() {
        return stream.getLastReceiveLSN().asLong();
    }

    /** Sets the flushed and applied positions and sends a status update now. */
    void report(long flushed) throws SQLException {
        LogSequenceNumber lsn = LogSequenceNumber.valueOf(flushed);
        stream.setFlushedLSN(lsn);
        stream.setAppliedLSN(lsn);
        stream.forceUpdateStatus();
    }

    /**
     * Closes the connection. The stream is not ended with CopyDone first: a server busy sending a large transaction
     * may take long to answer it, and the last status update was already written before the connection's end.
     */
    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(PGConnection connection) {
        try {
            ((java.sql.Connection) connection).close();
        } catch (SQLException | RuntimeException e) {
            // the connection is gone either way
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
