package dev.flusso.source.wal.internal;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.Finding;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.Position;
import dev.flusso.api.RestartRequiredException;
import dev.flusso.api.RetriableException;
import dev.flusso.api.RetryPolicy;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.api.TableRef;
import dev.flusso.api.spi.RetryStreak;
import dev.flusso.postgres.Backoff;
import dev.flusso.postgres.KeysetPager;
import dev.flusso.postgres.PostgresConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final Map<TableRef, List<String>> roots = new HashMap<>();
    private final Object lock = new Object();
    private final Observer observer;
    private final RetryPolicy retry;
    private volatile boolean closed;
    private volatile Ledger ledger;
    private volatile KeysetPager pager;
    private Connection query;
    private ChangeMaker maker;
    private long startPoint;
    private long resumesAt = -1;
    private int slotHolder;
    private int walsender;
    private Duration walSenderTimeout = Duration.ZERO;
    private Duration slotPatience = SLOT_PATIENCE;

    public WalCapture(WalSettings settings, List<IndexDefinition> indexes) {
        this(settings, indexes, Observer.NONE, RetryPolicy.DEFAULT);
    }

    /**
     * @param observer told the lag behind the server every status interval, and of reconnects
     * @param retry how long a lost stream is reconnected before the capture gives up
     */
    public WalCapture(WalSettings settings, List<IndexDefinition> indexes, Observer observer, RetryPolicy retry) {
        this.settings = settings;
        this.observer = observer;
        this.retry = retry;
        this.connections = new Connections(settings.target());
        indexes.forEach(index -> tables.addAll(index.tables()));
        indexes.forEach(index -> roots.computeIfAbsent(index.root(), t -> new ArrayList<>()).add(index.name()));
    }

    /** A missing or invalidated slot means changes may have been missed: the engine backfills every index again. */
    @Override
    public boolean canResume() {
        Slots.Slot slot = new Slots(queryConnection(), settings.slot()).find();
        if (slot == null) {
            LOG.info("no replication slot '{}': it is created, and every index backfilled", settings.slot());
            return false;
        }
        resumesAt = slot.confirmedFlush();
        slotHolder = slot.activePid();
        if ("lost".equals(slot.walStatus())) {
            LOG.warn("replication slot '{}' is invalidated (wal_status = 'lost'): the server removed WAL it still needed;"
                    + " it is recreated and every index backfilled (raise max_slot_wal_keep_size to keep this from"
                    + " happening again)", settings.slot());
            return false;
        }
        return true;
    }

    /**
     * The slot was confirmed only as far as the sink recorded (see {@link Ledger}): past a change's commit by one, or
     * up to a progress marker. A slot further on means the sink lost what it had recorded.
     */
    @Override
    public Optional<String> confirmedBeyond(long version) {
        if (resumesAt <= version + 1) {
            return Optional.empty();
        }
        if (slotHolder != 0) {
            // Another process streams from the slot (a rolling deployment's old one, say) and records as it goes:
            // open() waits for it to let go, and the next start checks again.
            LOG.info("replication slot '{}' is in use by process {}: the sink's recorded version is not checked against it"
                    + " in this run", settings.slot(), slotHolder);
            return Optional.empty();
        }
        return Optional.of("replication slot '" + settings.slot() + "' was confirmed up to " + Lsn.format(resumesAt)
                + ", past " + Lsn.format(version) + " that the sink recorded, and the changes in between cannot be"
                + " streamed again");
    }

    @Override
    public void open() {
        Connection connection = queryConnection();
        SourceDatabase database = new SourceDatabase(connection);
        database.checkRequirements();
        walSenderTimeout = database.walSenderTimeout();
        settings = settings.fitTo(walSenderTimeout);
        Map<TableRef, List<String>> keys = database.primaryKeys(tables);
        database.requireIdentity(keys);
        maker = new ChangeMaker(tables, keys);
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
        // A connection of its own: a rebuild asks while the stream uses, and may replace, its query connection.
        try (Connection own = connections.query()) {
            return new SourceDatabase(own).estimateRows(request.root());
        } catch (SQLException | RuntimeException e) {
            LOG.debug("no row estimate for {}: {}", request.root(), e.getMessage());
            return OptionalLong.empty();
        }
    }

    /**
     * A snapshot pages keys on connections of its own, and its rows carry the slot's position at open, older than
     * anything streamed since; the builder reads each document's rows when it builds it, so a rebuild beside the
     * stream ends with the newest rows.
     */
    @Override
    public boolean snapshotsWhileStreaming() {
        return true;
    }

    @Override
    public void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException {
        Map<String, Integer> types;
        // Not the stream's query connection: the stream drops and replaces that one when its heartbeat fails.
        Connection own = connections.query();
        try {
            types = new SourceDatabase(own).columnTypes(request.root(), request.keyColumns());
        } finally {
            try {
                own.close();
            } catch (SQLException e) {
                LOG.debug("closing a snapshot's connection failed: {}", e.getMessage());
            }
        }
        try (KeysetPager pager = new KeysetPager(PostgresConnections.dataSource(connections::query))) {
            this.pager = pager;
            if (closed) {
                return;
            }
            new KeysetSnapshot(pager, request, types, startPoint).run(out, () -> closed);
        } finally {
            this.pager = null;
        }
    }

    @Override
    public void stream(ChangeEmitter out) throws InterruptedException {
        if (ledger == null) {
            throw new IllegalStateException("stream() before open()");
        }
        RetryStreak reconnects = new RetryStreak("capture", retry, observer);
        Liveness liveness = new Liveness(settings, walSenderTimeout, this::queryConnection, this::dropQueryConnection);
        boolean first = true;
        while (!closed) {
            try {
                ReplicationSession session = start(first);
                // A session that passed a liveness check works: a failure after it is a new outage. One that fails
                // as soon as it starts counts on, so a stream that cannot hold gives up in time.
                new StreamLoop(settings, ledger, maker, roots, () -> closed, this::heartbeat, liveness, this::reportLag,
                        reconnects::succeeded).run(session, out);
                return;
            } catch (RootTruncated e) {
                throw rebuildAfter(e);
            } catch (RetriableException e) {
                if (closed) {
                    return;
                }
                Duration wait = reconnects.failed(e);
                LOG.warn("replication stream of slot '{}' failed ({}); reconnecting in {} ms (gives up {})", settings.slot(),
                        e.getMessage(), wait.toMillis(), retry.bound());
                dropQueryConnection();
                Backoff.sleep(wait, () -> closed);
            }
            first = false;
        }
    }

    /**
     * A root table was truncated. Its documents must go, but no change can name them: pgoutput's Truncate carries no
     * rows, and the builder rebuilds from rows that are gone. So the index is rebuilt instead, by the means the
     * engine already has for a source that lost its place: the slot is dropped (after the session let go of it),
     * the run ends, and the next run finds no slot, so {@link #canResume()} says false and the engine records every
     * index unseeded before a fresh slot and a full backfill; from the backfill's end each index holds exactly the
     * current rows. Nothing after the truncation was confirmed, and dropping the slot loses nothing the backfill does
     * not read again. A crash in between is safe: with the slot still there, the next run streams the truncation
     * again and comes back here.
     */
    private FlussoException rebuildAfter(RootTruncated truncated) {
        Slots slots = new Slots(queryConnection(), settings.slot());
        Slots.Slot slot = slots.find();
        if (slot != null) {
            slots.check(slot, settings.target().database(), slotPatience);
            slots.drop();
        }
        LOG.warn("{}: its documents cannot be named any more, so every index is rebuilt from a fresh backfill at the"
                + " next start (replication slot '{}' dropped)", truncated.getMessage(), settings.slot());
        return new RestartRequiredException(truncated.getMessage() + ": the documents of its rows cannot be named any"
                + " more, so replication slot '" + settings.slot() + "' was dropped and the next run rebuilds every index"
                + " from a fresh backfill", truncated);
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
            if (slot.activePid() != 0 && slot.activePid() == walsender) {
                // Our previous walsender lingers until the server notices the lost connection (wal_sender_timeout);
                // it streams to no one, so it is ended rather than waited for.
                LOG.info("ending the previous walsender {} of replication slot '{}', whose connection was lost",
                        walsender, settings.slot());
                new Slots(queryConnection(), settings.slot()).terminate(walsender);
            }
            if (slot.activePid() != 0) {
                throw new RetriableException("replication slot '" + settings.slot() + "' is still in use by process "
                        + slot.activePid());
            }
        }
        try {
            ReplicationSession session = ReplicationSession.start(connections, settings, ledger.flushable(0));
            walsender = session.backendPid();
            return session;
        } catch (SQLException e) {
            throw StreamLoop.classify(settings.slot(), e);
        }
    }

    /** The bytes of WAL the server holds past the confirmed position, and how long the oldest change has waited. */
    private void reportLag(long flushed, long oldestWaitNanos) {
        try {
            long current = new SourceDatabase(queryConnection()).currentLsn();
            observer.sourceLag(Math.max(0, current - flushed), Duration.ofNanos(oldestWaitNanos));
        } catch (RuntimeException e) {
            LOG.debug("cannot read the server's WAL position for the lag: {}", e.getMessage());
        }
    }

    /**
     * The server, the publication and the slot, checked the way {@link #open()} would use them, changing nothing:
     * wal_level and the replication privilege, the publication's coverage (with the statements to run), the slot's
     * state and position.
     */
    @Override
    public List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        Connection connection = queryConnection();
        SourceDatabase database = new SourceDatabase(connection);
        try {
            database.checkRequirements();
            findings.add(Finding.ok("the server", "wal_level is logical and the role may replicate"));
        } catch (FlussoException e) {
            findings.add(Finding.error("the server", e.getMessage(), "as the message says, then check again"));
        }
        String publication = "publication '" + settings.publication() + "'";
        try {
            Publications.Plan plan = new Publications(connection, settings.publication(), settings.managePublication())
                    .plan(tables, database.partitioned(tables));
            if (plan.statements().isEmpty()) {
                findings.add(Finding.ok(publication, "publishes every table the indexes read"));
            } else if (settings.managePublication()) {
                findings.add(Finding.warning(publication, (plan.exists() ? "lacks tables the indexes read" : "does not exist")
                        + "; flusso run changes it when the role may", String.join(" ", plan.statements())));
            } else {
                findings.add(Finding.error(publication, (plan.exists() ? "lacks tables the indexes read" : "does not exist")
                        + ", and manage_publication = false", String.join(" ", plan.statements())));
            }
        } catch (FlussoException e) {
            findings.add(Finding.error(publication, e.getMessage(), "check the tables the schemas name"));
        }
        String slotName = "replication slot '" + settings.slot() + "'";
        try {
            Slots.Slot slot = new Slots(connection, settings.slot()).find();
            if (slot == null) {
                findings.add(Finding.ok(slotName, "does not exist yet: flusso run creates it, and backfills every index"));
            } else if ("lost".equals(slot.walStatus())) {
                findings.add(Finding.warning(slotName, "is invalidated (wal_status = 'lost'): flusso run recreates it and"
                        + " backfills every index", "raise max_slot_wal_keep_size so the server keeps the WAL it needs"));
            } else if (!"pgoutput".equals(slot.plugin()) || !settings.target().database().equals(slot.database())) {
                findings.add(Finding.error(slotName, "belongs to plugin '" + slot.plugin() + "' in database '" + slot.database()
                        + "'", "choose another slot name, or drop it with SELECT pg_drop_replication_slot('" + settings.slot() + "');"));
            } else {
                findings.add(Finding.ok(slotName, "resumes at " + Lsn.format(slot.confirmedFlush())
                        + (slot.activePid() != 0 ? ", in use now by process " + slot.activePid() : "")));
            }
        } catch (FlussoException e) {
            findings.add(Finding.error(slotName, e.getMessage(), "choose another slot name"));
        }
        return findings;
    }

    /** The slot as the server sees it, over a connection of its own so as not to disturb the stream. */
    @Override
    public Map<String, Object> status() {
        try (Connection connection = connections.query();
                PreparedStatement statement = connection.prepareStatement("SELECT confirmed_flush_lsn::text,"
                        + " pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint,"
                        + " pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, wal_status, active"
                        + " FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, settings.slot());
            try (ResultSet row = statement.executeQuery()) {
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("slot", settings.slot());
                if (!row.next()) {
                    status.put("slot_state", "missing");
                    return status;
                }
                status.put("confirmed_lsn", row.getString(1));
                status.put("wal_retained_bytes", row.getLong(2));
                status.put("slot_lag_bytes", row.getLong(3));
                status.put("wal_status", row.getString(4));
                status.put("slot_active", row.getBoolean(5));
                return status;
            }
        } catch (SQLException e) {
            throw SourceDatabase.failed("reading replication slot '" + settings.slot() + "'", e);
        }
    }

    private void heartbeat() {
        try (Statement statement = queryConnection().createStatement()) {
            // Bounded like the liveness check: a cut connection must not hold up the stream's upkeep.
            statement.getConnection().setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, settings.socketTimeout().toMillis()));
            statement.execute("SELECT pg_logical_emit_message(false, 'flusso_heartbeat', '')");
            statement.getConnection().setNetworkTimeout(Runnable::run, 0);
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
        KeysetPager running = pager;
        if (running != null) {
            running.close();
        }
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
