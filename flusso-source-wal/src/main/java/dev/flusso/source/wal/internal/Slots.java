package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds, checks and creates the replication slot. */
public final class Slots {

    private static final Logger LOG = LoggerFactory.getLogger(Slots.class);

    private final Connection connection;
    private final String slot;

    public Slots(Connection connection, String slot) {
        this.connection = connection;
        this.slot = slot;
    }

    /**
     * What the server says about the slot.
     *
     * @param plugin its output plugin
     * @param database its database
     * @param activePid the process using it, or 0
     * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
     * @param confirmedFlush its confirmed position
     */
    public record Slot(String plugin, String database, int activePid, String walStatus, long confirmedFlush) {
    }

    /** {@return the slot, or null if it does not exist} */
    public Slot find() {
        try (PreparedStatement statement = connection.prepareStatement("SELECT plugin, database, coalesce(active_pid, 0),"
                + " wal_status, confirmed_flush_lsn::text, slot_type FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                if (!"logical".equals(row.getString(6))) {
                    throw Problems.slotMismatch(slot, "it is a physical slot");
                }
                String flush = row.getString(5);
                return new Slot(row.getString(1), row.getString(2), row.getInt(3), row.getString(4),
                        flush == null ? 0 : Lsn.parse(flush));
            }
        } catch (SQLException e) {
            throw SourceDatabase.failed("reading replication slot '" + slot + "'", e);
        }
    }

    /** Drops the slot: only ever an invalidated one, or one whose place no longer matters (every index is rebuilt). */
    public void drop() {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            statement.setString(1, slot);
            statement.execute();
            LOG.info("dropped replication slot '{}'", slot);
        } catch (SQLException e) {
            throw SourceDatabase.failed("dropping replication slot '" + slot + "'", e);
        }
    }

    /** Ends a server process of this role that holds the slot: only ever our own walsender of a lost connection. */
    public void terminate(int pid) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            statement.execute();
        } catch (SQLException e) {
            throw SourceDatabase.failed("ending the previous walsender " + pid + " of replication slot '" + slot + "'", e);
        }
    }

    /**
     * Creates the slot with pgoutput. Waits for transactions running meanwhile to end: the slot's consistent point
     * comes after them.
     *
     * @return its consistent point: every transaction committing from there on is streamed
     */
    public long create() {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                long lsn = Lsn.parse(row.getString(1));
                LOG.info("created replication slot '{}' at {}", slot, Lsn.format(lsn));
                return lsn;
            }
        } catch (SQLException e) {
            throw SourceDatabase.failed("creating replication slot '" + slot + "'", e);
        }
    }

    /**
     * Checks that the slot is usable by this database, and waits a little for a previous session of ours to let go.
     *
     * @param found the slot as found
     * @param database this database's name
     * @param patience how long to wait for the slot to become inactive
     * @return the slot as last read
     * @throws FlussoException if it belongs elsewhere, is invalidated or stays in use
     */
    public Slot check(Slot found, String database, Duration patience) {
        if (!"pgoutput".equals(found.plugin())) {
            throw Problems.slotMismatch(slot, "its plugin is '" + found.plugin() + "', not pgoutput");
        }
        if (!database.equals(found.database())) {
            throw Problems.slotMismatch(slot, "it belongs to database '" + found.database() + "', not '" + database + "'");
        }
        if ("lost".equals(found.walStatus())) {
            throw Problems.slotLost(slot);
        }
        long deadline = System.nanoTime() + patience.toNanos();
        Slot current = found;
        while (current.activePid() != 0) {
            if (System.nanoTime() > deadline) {
                throw Problems.slotInUse(slot, current.activePid());
            }
            pause();
            current = find();
            if (current == null) {
                throw Problems.slotDropped(slot);
            }
        }
        return current;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlussoException("interrupted waiting for a replication slot", e);
        }
    }
}
