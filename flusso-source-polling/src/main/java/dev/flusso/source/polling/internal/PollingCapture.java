package dev.flusso.source.polling.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.Position;
import dev.flusso.api.RetriableException;
import dev.flusso.api.RetryPolicy;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.api.TableRef;
import dev.flusso.api.spi.RetryStreak;
import dev.flusso.postgres.Backoff;
import dev.flusso.postgres.DocumentIds;
import dev.flusso.postgres.KeyPage;
import dev.flusso.postgres.KeysetPager;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code polling} capture. {@link #open()} reads the catalog, prepares the state (and the deletions table, when
 * configured) and takes the snapshot that backfills are consistent with; {@link #stream} runs poll rounds, each
 * closing a window of committed transactions across every table; {@link #confirm} records how far the sink got,
 * and the capture thread stores the cursors of every round whose changes are all confirmed.
 */
public final class PollingCapture implements ChangeCapture {

    private static final Logger LOG = LoggerFactory.getLogger(PollingCapture.class);

    private final PollingSettings settings;
    private final List<IndexDefinition> indexes;
    private final Set<TableRef> tables = new LinkedHashSet<>();
    private final Map<TableRef, List<IndexDefinition>> rootOf = new LinkedHashMap<>();
    private final StateStore store;
    private final KnownIds known;
    private final DeletionsTable deletions;
    private final Rounds rounds = new Rounds();
    private final Object connectionLock = new Object();
    private final ConfirmedState saved;
    private final Map<TableRef, TablePoller> pollers = new LinkedHashMap<>();
    private volatile boolean closed;
    private Connection connection;
    private KeysetPager pager;
    private Map<TableRef, TableCursor> stored;
    private Map<TableRef, TableCursor> current;
    private Horizon start;
    private long lastSweep = Long.MIN_VALUE;
    private boolean pruneWarned;
    private boolean catalogStale;
    /** Whether canResume read the state; a state it refused is not used. */
    private boolean stateRead;
    private volatile long roundsCompleted;
    private Rounds.Done unsaved;
    private long lastSave = System.nanoTime();
    private final Observer observer;
    private final RetryPolicy retry;

    public PollingCapture(PollingSettings settings, List<IndexDefinition> indexes) {
        this(settings, indexes, Observer.NONE, RetryPolicy.DEFAULT);
    }

    /**
     * @param observer told of failed rounds and of the recovery
     * @param retry how long failing rounds are tried again before the capture gives up
     */
    public PollingCapture(PollingSettings settings, List<IndexDefinition> indexes, Observer observer, RetryPolicy retry) {
        this.settings = settings;
        this.observer = observer;
        this.retry = retry;
        this.indexes = List.copyOf(indexes);
        for (IndexDefinition index : indexes) {
            tables.addAll(index.tables());
            rootOf.computeIfAbsent(index.root(), t -> new ArrayList<>()).add(index);
        }
        for (TableRef table : settings.cursorColumns().keySet()) {
            if (!tables.contains(table)) {
                throw new ConfigurationException("[source] key 'cursor_columns' names table '" + table + "', which no index"
                        + " reads: expected one of " + tables);
            }
        }
        this.store = settings.state() == PollingSettings.StateKind.FILE ? new FileStateStore(settings.stateFile())
                : new TableStateStore(settings.source(), settings.stateTable(), settings.stateName());
        this.known = settings.sweeps() ? new KnownIds(settings.sweepFile()) : null;
        this.deletions = settings.deletionsTable().map(table -> new DeletionsTable(table, settings.pageSize())).orElse(null);
        this.saved = new ConfirmedState(rounds, store, known, deletions, this::connection, () -> closed);
    }

    /**
     * No stored cursors (a first run, or the state was lost), cursors the server has not reached (a restored
     * database, another server), or a sweep that lost its ids: changes may have been missed, so every index is
     * backfilled again.
     */
    @Override
    public boolean canResume() {
        stateRead = true;
        stored = store.load();
        if (stored == null) {
            LOG.info("no polling state in {}: every index is backfilled", store.describe());
            return false;
        }
        XidSnapshot now = new SourceDatabase(connection()).horizon().snapshot();
        for (Map.Entry<TableRef, TableCursor> entry : stored.entrySet()) {
            if (entry.getValue().snapshot().xmin() > now.xmax()) {
                LOG.warn("the polling state in {} has table '{}' at transaction {}, beyond the server's next transaction {}:"
                        + " it belongs to another server or to this database before a restore; every index is backfilled",
                        store.describe(), entry.getKey(), entry.getValue().snapshot().xmin(), now.xmax());
                stored = null;
                return false;
            }
        }
        if (known != null && !Files.exists(settings.sweepFile())) {
            LOG.warn("the sweep's id file {} is missing: every index is backfilled so that the sweep knows every document",
                    settings.sweepFile());
            stored = null;
            return false;
        }
        return true;
    }

    @Override
    public void open() {
        Connection c = connection();
        SourceDatabase database = new SourceDatabase(c);
        database.checkServer();
        readCatalog(database);
        store.prepare();
        if (deletions != null) {
            deletions.install(c, tables);
        }
        if (known != null) {
            known.load();
        }
        start = database.horizon();
        if (!stateRead) {
            stored = store.load();
        }
        Map<TableRef, TableCursor> cursors = new LinkedHashMap<>();
        List<TableRef> polled = new ArrayList<>(tables);
        if (deletions != null) {
            polled.add(deletions.table());
        }
        for (TableRef table : polled) {
            TableCursor cursor = stored == null ? null : stored.get(table);
            if (cursor == null) {
                if (stored != null) {
                    LOG.info("table '{}' has no stored cursor: it is polled from now on", table);
                }
                cursor = new TableCursor(start.snapshot(), null);
            }
            cursors.put(table, cursor);
        }
        current = cursors;
        // Everything before the start snapshot is read by the backfills that follow; storing it now lets a run
        // stopped mid-backfill resume (the sink's checkpoint says where) instead of starting over.
        store.save(current);
        LOG.info("polling {} tables every {} ms, state in {}", tables.size(), settings.pollInterval().toMillis(), store.describe());
    }

    /** Reads every table's columns and key, and makes its poller. */
    private void readCatalog(SourceDatabase database) {
        Map<TableRef, TablePoller> made = new LinkedHashMap<>();
        for (TableInfo info : database.tables(tables).values()) {
            made.put(info.table(), new TablePoller(info, settings.cursorColumns().get(info.table()), settings.lookback(),
                    settings.pageSize()));
        }
        pollers.clear();
        pollers.putAll(made);
    }

    /** {@return how many poll rounds completed in this run, for tests and benchmarks} */
    long roundsCompleted() {
        return roundsCompleted;
    }

    /** {@return the snapshot and version the capture opened at: the version of every backfill row} */
    Horizon start() {
        return start;
    }

    @Override
    public OptionalLong estimateRows(SnapshotRequest request) {
        long estimate = pager().estimate(request.root());
        return estimate < 0 ? OptionalLong.empty() : OptionalLong.of(estimate);
    }

    @Override
    public void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException {
        Optional<List<String>> after = Optional.empty();
        if (request.resumeAfter().isPresent()) {
            after = DocumentIds.decode(request.resumeAfter().get(), request.keyColumns().size());
            if (after.isEmpty()) {
                throw new FlussoException("the backfill checkpoint of index '" + request.index() + "' does not hold a key of "
                        + request.keyColumns().size() + " columns of table '" + request.root() + "': re-backfill the index");
            }
        }
        while (!closed) {
            KeyPage page = pager().page(request.root(), request.keyColumns(), after, settings.pageSize());
            List<String> ids = page.keys().stream().map(DocumentIds::encode).toList();
            if (known != null) {
                known.add(request.index(), ids);
            }
            for (int i = 0; i < ids.size(); i++) {
                List<String> key = page.keys().get(i);
                Map<String, Object> values = new LinkedHashMap<>();
                for (int k = 0; k < key.size(); k++) {
                    values.put(request.keyColumns().get(k), key.get(k));
                }
                out.put(Change.snapshot(request.root(), values, start.version(), new SnapshotPosition(request.index(), ids.get(i))));
            }
            if (page.complete()) {
                return;
            }
            after = page.last();
        }
    }

    @Override
    public void stream(ChangeEmitter out) throws InterruptedException {
        if (current == null) {
            throw new IllegalStateException("stream() before open()");
        }
        RetryStreak failures = new RetryStreak("capture", retry, observer);
        while (!closed) {
            long began = System.nanoTime();
            try {
                round(out);
                saved.save(false);
                failures.succeeded();
                long next = began + settings.pollInterval().toNanos();
                while (!closed && System.nanoTime() < next) {
                    Thread.sleep(Math.min(50, Math.max(1, (next - System.nanoTime()) / 1_000_000)));
                    saved.save(false);
                }
            } catch (RetriableException e) {
                if (closed) {
                    return;
                }
                Duration wait = failures.failed(e);
                LOG.warn("polling failed ({}); retrying in {} ms (gives up {})", e.getMessage(), wait.toMillis(),
                        retry.bound());
                dropConnection();
                Backoff.sleep(wait, () -> closed);
            }
        }
    }

    /** Polls every table, then the deletions table, then sweeps when due: one window, one version. */
    private void round(ChangeEmitter out) throws InterruptedException {
        Connection c = connection();
        if (catalogStale) {
            readCatalog(new SourceDatabase(c));
            catalogStale = false;
        }
        Horizon to = new SourceDatabase(c).horizon();
        rounds.begin();
        Map<TableRef, TableCursor> next = new LinkedHashMap<>(current);
        Map<String, List<String>> deleted = new LinkedHashMap<>();
        boolean completed = false;
        try {
            for (TablePoller poller : pollers.values()) {
                TableRef table = poller.info().table();
                next.put(table, poller.poll(c, current.get(table), to, rows -> emit(table, rows, to.version(), out), () -> closed));
            }
            if (deletions != null) {
                TableCursor from = current.get(deletions.table());
                for (TablePoller poller : pollers.values()) {
                    deletions.poll(c, poller.info(), from.snapshot(), to.snapshot(), to.version(), rounds::nextPosition,
                            out::put, () -> closed);
                }
                next.put(deletions.table(), new TableCursor(to.snapshot(), null));
            }
            if (known != null && sweepDue()) {
                new Sweep(pager(), known, settings.pageSize()).run(indexes, to.version(), rounds::nextPosition, out, deleted,
                        () -> closed);
            }
            completed = !closed;
            if (completed) {
                roundsCompleted++;
            }
        } catch (SQLException e) {
            // A column dropped, added or retyped since the catalog was read: read it again and retry the round.
            if ("42703".equals(e.getSQLState()) || "42804".equals(e.getSQLState())) {
                catalogStale = true;
                throw new RetriableException("polling: a table's columns changed (" + e.getMessage() + ")", e);
            }
            throw SourceDatabase.failed("polling", e);
        } finally {
            rounds.finish(completed ? next : current, completed ? deleted : Map.of());
            if (completed) {
                current = next;
            }
        }
    }

    private void emit(TableRef table, List<PolledRow> rows, long version, ChangeEmitter out) throws InterruptedException {
        List<IndexDefinition> rooted = rootOf.getOrDefault(table, List.of());
        if (known != null) {
            for (IndexDefinition index : rooted) {
                // Durable before the changes leave: a document never reaches the sink unknown to the sweep.
                known.add(index.name(), rows.stream().map(row -> DocumentIds.encode(keyOf(index, row))).toList());
            }
        }
        for (PolledRow row : rows) {
            out.put(Change.update(table, row.key(), Map.of(), row.values(), version, rounds.nextPosition()));
        }
    }

    private static List<String> keyOf(IndexDefinition index, PolledRow row) {
        List<String> key = new ArrayList<>(index.keyColumns().size());
        for (String column : index.keyColumns()) {
            key.add((String) row.values().get(column));
        }
        return key;
    }

    private boolean sweepDue() {
        long now = System.nanoTime();
        if (lastSweep != Long.MIN_VALUE && now - lastSweep < settings.sweepInterval().toNanos()) {
            return false;
        }
        lastSweep = now;
        return true;
    }

    @Override
    public void confirm(Position upTo) {
        if (upTo instanceof PollPosition position) {
            rounds.confirm(position);
        }
    }

    @Override
    public void close() {
        closed = true;
        dropConnection();
        // Confirmations made before the stop are kept: the engine closes again once its worker is done.
        try {
            saved.save(true);
        } catch (RuntimeException e) {
            LOG.warn("could not store the confirmed polling cursors at close ({}): the next run re-polls from the previous ones",
                    e.getMessage());
        }
        store.close();
        if (known != null) {
            known.close();
        }
        KeysetPager current;
        synchronized (connectionLock) {
            current = pager;
            pager = null;
        }
        if (current != null) {
            current.close();
        }
    }

    private KeysetPager pager() {
        synchronized (connectionLock) {
            if (closed) {
                throw new FlussoException("the polling capture is closed");
            }
            if (pager == null) {
                pager = new KeysetPager(settings.source());
            }
            return pager;
        }
    }

    private Connection connection() {
        synchronized (connectionLock) {
            if (closed) {
                throw new FlussoException("the polling capture is closed");
            }
            if (connection == null) {
                try {
                    connection = settings.source().getConnection();
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    throw SourceDatabase.failed("connecting", e);
                }
            }
            return connection;
        }
    }

    private void dropConnection() {
        Connection old;
        synchronized (connectionLock) {
            old = connection;
            connection = null;
        }
        if (old != null) {
            try {
                old.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
