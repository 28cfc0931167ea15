package dev.flusso.source.wal.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import dev.flusso.api.TableRef;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one replication session: reads messages, emits changes as they arrive (pgoutput's Begin already carries the
 * commit LSN, so nothing is buffered per transaction), and keeps the connection serviced. While the queue is full it
 * offers with a short timeout and sends status updates in between, so back-pressure never lets
 * {@code wal_sender_timeout} cut the connection.
 */
final class StreamLoop {

    private static final Logger LOG = LoggerFactory.getLogger(StreamLoop.class);
    /** How long one offer to a full queue waits before the connection is serviced again. */
    private static final Duration OFFER_WAIT = Duration.ofMillis(100);
    /** The least time between two status updates sent because the flushed position moved. */
    private static final long REPORT_GAP_NANOS = Duration.ofMillis(100).toNanos();
    private static final long IDLE_PAUSE_MILLIS = 5;
    /** The least time between two progress markers: each costs the sink one small write. */
    private static final long PROGRESS_GAP_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int SERVICE_EVERY = 512;

    private final WalSettings settings;
    private final Ledger ledger;
    private final ChangeMaker maker;
    private final BooleanSupplier stopped;
    private final Runnable heartbeat;
    private final Liveness liveness;
    private final LagReport lag;
    private Runnable working;
    private final Map<TableRef, List<String>> roots;
    private final PgOutputDecoder decoder = new PgOutputDecoder();

    private ReplicationSession session;
    private long version;
    private long reported = -1;
    private long lastReport = System.nanoTime();
    private long nextHeartbeat;
    private long nextProgress;
    private long lastCheck = System.nanoTime();
    private boolean heard;
    private int sinceService;

    /**
     * @param roots each root table and the indexes it is the root of: their truncation ends the stream
     * @param liveness asked every status interval whether the server still hears the stream
     * @param lag told every status interval how far behind the confirmed position is
     * @param working run once, after the first liveness check the stream passes
     */
    StreamLoop(WalSettings settings, Ledger ledger, ChangeMaker maker, Map<TableRef, List<String>> roots,
            BooleanSupplier stopped, Runnable heartbeat, Liveness liveness, LagReport lag, Runnable working) {
        this.settings = settings;
        this.working = working;
        this.lag = lag;
        this.roots = roots;
        this.liveness = liveness;
        this.ledger = ledger;
        this.maker = maker;
        this.stopped = stopped;
        this.heartbeat = heartbeat;
        this.nextHeartbeat = System.nanoTime() + settings.heartbeatInterval().toNanos();
    }

    /** Streams until stopped; a lost connection throws {@link RetriableException}, anything else fails. */
    void run(ReplicationSession started, ChangeEmitter out) throws InterruptedException {
        session = started;
        liveness.watch(session.backendPid());
        try {
            while (!stopped.getAsBoolean()) {
                markProgress(out);
                ByteBuffer buffer = session.readPending();
                if (buffer == null) {
                    service(true);
                    Thread.sleep(IDLE_PAUSE_MILLIS);
                    continue;
                }
                heard = true;
                handle(decoder.decode(buffer), out);
                if (++sinceService >= SERVICE_EVERY) {
                    service(false);
                }
            }
            service(true);
        } catch (SQLException e) {
            if (!stopped.getAsBoolean()) {
                throw classify(settings.slot(), e);
            }
        } finally {
            session.close();
            ledger.restart();
        }
    }

    private void handle(Message message, ChangeEmitter out) throws InterruptedException, SQLException {
        if (message instanceof Message.Begin begin) {
            version = begin.commitLsn();
            ledger.begin(version);
        } else if (message instanceof Message.Commit commit) {
            ledger.commit(commit.endLsn());
            service(false);
        } else if (message instanceof Message.Row row) {
            if (maker.captures(row.relation().table())) {
                emit(maker.change(row, version, ledger.next()), out);
            }
        } else if (message instanceof Message.Truncate truncate) {
            for (Relation relation : truncate.relations()) {
                List<String> indexes = roots.getOrDefault(relation.table(), List.of());
                if (!indexes.isEmpty()) {
                    // Nothing of this transaction is confirmed, nor anything after it: see WalCapture.stream.
                    throw new RootTruncated(relation.table(), indexes, version);
                }
            }
            for (Relation relation : truncate.relations()) {
                if (maker.captures(relation.table())) {
                    emit(Change.truncate(relation.table(), version, ledger.next()), out);
                }
            }
        }
    }

    /**
     * Every second at most, when the server has moved on with nothing emitted waiting, emits a progress marker: once
     * the sink has recorded it, its confirmation lets the slot follow the server.
     */
    private void markProgress(ChangeEmitter out) throws InterruptedException, SQLException {
        long now = System.nanoTime();
        if (now < nextProgress) {
            return;
        }
        nextProgress = now + Math.min(PROGRESS_GAP_NANOS, settings.statusInterval().toNanos());
        long server = session.serverLsn();
        ledger.flushable(server);
        WalPosition at = ledger.progress(server);
        if (at != null) {
            emit(Change.progress(at.commitLsn(), at), out);
        }
    }

    private void emit(Change change, ChangeEmitter out) throws InterruptedException, SQLException {
        while (!out.offer(change, OFFER_WAIT)) {
            if (stopped.getAsBoolean()) {
                return;
            }
            service(true);
        }
    }

    /**
     * Reports the flushed position when it moved (at most every 100 ms) or when the status interval is up, writes a
     * heartbeat when due, and checks every status interval that the server still hears the stream.
     */
    private void service(boolean idle) throws SQLException {
        sinceService = 0;
        long now = System.nanoTime();
        long flushable = ledger.flushable(session.serverLsn());
        boolean moved = flushable > reported && now - lastReport >= REPORT_GAP_NANOS;
        if (moved || now - lastReport >= settings.statusInterval().toNanos()) {
            session.report(flushable);
            if (flushable != reported) {
                LOG.trace("reported {} as flushed", Lsn.format(flushable));
            }
            reported = flushable;
            lastReport = now;
        }
        if (idle && !settings.heartbeatInterval().isZero() && now >= nextHeartbeat) {
            heartbeat.run();
            nextHeartbeat = now + settings.heartbeatInterval().toNanos();
        }
        if (now - lastCheck >= settings.statusInterval().toNanos()) {
            // A cut connection reads as an idle one: only the server can say whether it still hears us.
            liveness.check(heard);
            heard = false;
            if (working != null) {
                working.run();
                working = null;
            }
            lastCheck = System.nanoTime();
            lag.report(flushable, ledger.oldestWaitNanos());
        }
    }

    /** Where the stream says how far behind it is. */
    @FunctionalInterface
    interface LagReport {
        /**
         * @param flushed the position reported to the server as flushed
         * @param oldestWaitNanos how long the oldest unconfirmed transaction has waited; zero when none does
         */
        void report(long flushed, long oldestWaitNanos);
    }

    /** Sorts a failed replication command or stream into a lost connection, to retry, and a fault, to report. */
    static FlussoException classify(String slot, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (state.equals("42704") && message.contains("replication slot")) {
            return Problems.slotDropped(slot);
        }
        if (state.equals("55006")) {
            return new RetriableException("replication slot '" + slot + "' is in use: " + message, e);
        }
        if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300") || state.isEmpty()) {
            return new RetriableException("replication connection lost: " + message, e);
        }
        return new FlussoException("replication of slot '" + slot + "' failed: " + message, e);
    }
}
