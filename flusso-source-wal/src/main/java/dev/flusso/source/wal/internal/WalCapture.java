package dev.flusso.source.wal.internal;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Position;
import dev.flusso.api.RetriableException;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code wal} capture. {@link #open()} checks the server, ensures the publication and the slot (so the slot
 * exists before any snapshot); {@link #snapshot} pages root keys, versioned at the slot's position at open;
 * {@link #stream} decodes pgoutput and reconnects with backoff when the connection is lost.
 */
public final class WalCapture implements ChangeCapture {

    private static final Logger LOG = LoggerFactory.getLogger(WalCapture.class);
    /** How long open() waits for a slot held by another process (our own previous session, say) to be let go. */
    private static final Duration SLOT_PATIENCE = Duration.ofSeconds(10);

    private volatile WalSettings settings;
    private final Connections connections;
    private final Set<TableRef> tables = new HashSet<>();
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile Ledger ledger;
    private Connection query;
    private ChangeMaker maker;
    private long startPoint;
    private Duration slotPatience = SLOT_PATIENCE;

    public WalCapture(WalSettings settings, List<IndexDefinition> indexes) {
        this.settings = settings;
        this.connections = new Connections(settings.target());
        indexes.forEach(index -> tables.addAll(index.tables()));
    }

    /** A missing or invalidated slot means changes may have been missed: the engine backfills every index again. */
    @Override
    public boolean canResume() {
        Slots.Slot slot = new Slots(queryConnection(), settings.slot()).find();
        if (slot == null) {
            LOG.info("no replication slot '{}': it is created, and every index backfilled", settings.slot());
            return false;
        }
        if ("lost".equals(slot.walStatus())) {
            LOG.warn("replication slot '{}' is invalidated (wal_status = 'lost'): the server removed WAL it still needed;"
                    + " it is recreated and every index backfilled (raise max_slot_wal_keep_size to keep this from"
                    + " happening again)", settings.slot());
            return false;
        }
        return true;
    }

    @Override
    public void open() {
        Connection connection = queryConnection();
        SourceDatabase database = new SourceDatabase(connection);
        database.checkRequirements();
        settings = settings.fitTo(database.walSenderTimeout());
        maker = new ChangeMaker(tables, database.primaryKeys(tables));
        new Publications(connection, settings.publication(), settings.managePublication())
                .ensure(tables, database.partitioned(tables));
        Slots slots = new Slots(connection, settings.slot());
        Slots.Slot slot = slots.find();
        if (slot != null && "lost".equals(slot.walStatus())) {
            slots.drop();
            slot = null;
        }
        if (slot == null) {
            startPoint = slots.create();
        } else {
            startPoint = slots.check(slot, settings.target().database(), slotPatience).confirmedFlush();
            LOG.info("replication slot '{}' resumes at {}", settings.slot(), Lsn.format(startPoint));
        }
        ledger = new Ledger(startPoint);
    }

    /** Sets how long {@link #open()} waits for a slot in use; for tests. */
    void slotPatience(Duration patience) {
        slotPatience = patience;
    }

    /** {@return the slot's position when the capture opened: the version of every snapshot row} */
    public long startPoint() {
        return startPoint;
    }

    @Override
    public OptionalLong estimateRows(SnapshotRequest request) {
        return new SourceDatabase(queryConnection()).estimateRows(request.root());
    }

    @Override
    public void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException {
        new KeysetSnapshot(queryConnection(), request, startPoint).run(out, () -> closed);
    }

    @Override
    public void stream(ChangeEmitter out) throws InterruptedException {
        if (ledger == null) {
            throw new IllegalStateException("stream() before open()");
        }
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));
        boolean first = true;
        while (!closed) {
            try {
                ReplicationSession session = start(first);
                backoff.reset();
                new StreamLoop(settings, ledger, maker, () -> closed, this::heartbeat).run(session, out);
                return;
            } catch (RetriableException e) {
                if (closed) {
                    return;
                }
                Duration wait = backoff.next();
                LOG.warn("replication stream of slot '{}' failed ({}); reconnecting in {} ms", settings.slot(),
                        e.getMessage(), wait.toMillis());
                dropQueryConnection();
                backoff.sleep(wait, () -> closed);
            }
            first = false;
        }
    }

    /** Checks the slot again before a reconnect: one dropped meanwhile must not be silently recreated. */
    private ReplicationSession start(boolean first) {
        if (!first) {
            Slots.Slot slot = new Slots(queryConnection(), settings.slot()).find();
            if (slot == null) {
                throw Problems.slotDropped(settings.slot());
            }
            if ("lost".equals(slot.walStatus())) {
                throw Problems.slotLost(settings.slot());
            }
            if (slot.activePid() != 0) {
                // Our previous walsender may linger until the server notices the lost connection.
                throw new RetriableException("replication slot '" + settings.slot() + "' is still in use by process "
                        + slot.activePid());
            }
        }
        try {
            return ReplicationSession.start(connections, settings, ledger.flushable(0));
        } catch (SQLException e) {
            throw StreamLoop.classify(settings.slot(), e);
        }
    }

    private void heartbeat() {
        try (Statement statement = queryConnection().createStatement()) {
            statement.execute("SELECT pg_logical_emit_message(false, 'flusso_heartbeat', '')");
        } catch (SQLException | RuntimeException e) {
            LOG.debug("heartbeat failed: {}", e.getMessage());
            dropQueryConnection();
        }
    }

    @Override
    public void confirm(Position upTo) {
        Ledger current = ledger;
        if (current != null && upTo instanceof WalPosition position) {
            current.confirm(position);
        }
    }

    @Override
    public void close() {
        closed = true;
        // A snapshot blocked in a query fails promptly when its connection closes; the stream notices the flag.
        dropQueryConnection();
    }

    private Connection queryConnection() {
        synchronized (lock) {
            if (closed) {
                throw new FlussoException("the wal capture is closed");
            }
            if (query == null) {
                query = connections.query();
            }
            return query;
        }
    }

    private void dropQueryConnection() {
        Connection old;
        synchronized (lock) {
            old = query;
            query = null;
        }
        if (old != null) {
            try {
                old.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
