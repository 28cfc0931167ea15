package dev.flusso.source.wal.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides how far the server may forget: the flushed LSN reported to it. Only whole transactions count: a
 * transaction is done when every change emitted for it is confirmed (or it emitted none) and its Commit has been
 * read; then the flushed LSN may move past its commit, never into its middle, because the server skips on restart
 * every transaction whose commit lies before the confirmed position. It never moves backwards.
 *
 * <p>It also never moves past what the sink has recorded as durable, so that a sink that loses writes can be told at
 * the next start ({@link WalCapture#confirmedBeyond}): a confirmed change of commit LSN {@code c} lets it move to
 * {@code c + 1} (enough to skip that transaction, and no record starts in between); the server's own position, when
 * nothing emitted is unconfirmed and the database is idle or busy only outside the publication, is reached through a
 * {@linkplain #progress progress marker} that travels to the sink like a change. So an idle database does not retain
 * WAL either, one marker a second at most.
 *
 * <p>{@link #confirm} is called from any thread and only records the position; everything else runs on the capture
 * thread, which applies the result to the stream (pgjdbc's stream is not thread-safe).
 */
public final class Ledger {

    private final AtomicReference<WalPosition> confirmed = new AtomicReference<>();
    private final Deque<Transaction> pending = new ArrayDeque<>();
    private Transaction reading;
    private long flushed;

    /** @param flushed the slot's confirmed position when the stream starts: nothing lower is ever reported */
    public Ledger(long flushed) {
        this.flushed = flushed;
    }

    /** Records that every change up to and including the position is durable. Any thread; never blocks. */
    public void confirm(WalPosition upTo) {
        confirmed.accumulateAndGet(upTo, (a, b) -> a == null || b.compareTo(a) > 0 ? b : a);
    }

    /** A transaction starts, as its Begin message says. */
    public void begin(long commitLsn) {
        reading = new Transaction(commitLsn, System.nanoTime(), false);
    }

    /** {@return the position of the next change emitted for the transaction being read} */
    public WalPosition next() {
        if (reading == null) {
            throw new IllegalStateException("a change arrived outside a transaction");
        }
        return new WalPosition(reading.commitLsn, reading.emitted++);
    }

    /** The transaction being read ends at {@code endLsn}, as its Commit message says. */
    public void commit(long endLsn) {
        if (reading == null) {
            throw new IllegalStateException("a Commit arrived outside a transaction");
        }
        Transaction last = pending.peekLast();
        if (reading.emitted == 0 && last != null && last.emitted == 0) {
            // Consecutive empty transactions merge, so traffic outside the indexes cannot grow this queue.
            last.endLsn = endLsn;
        } else {
            reading.endLsn = endLsn;
            pending.addLast(reading);
        }
        reading = null;
    }

    /** Forgets transactions emitted in a session that ended: the next session delivers them again. */
    public void restart() {
        pending.clear();
        reading = null;
    }

    /**
     * {@return the LSN the server may now be told is flushed} Capture thread only.
     *
     * @param serverLsn the furthest position the stream has reached: a keepalive's WAL end or the start of the
     *     last message read; every commit before it has been read
     */
    public long flushable(long serverLsn) {
        WalPosition upTo = confirmed.get();
        long ceiling = ceiling(upTo);
        while (!pending.isEmpty() && pending.peekFirst().coveredBy(upTo)) {
            flushed = Math.max(flushed, Math.min(pending.removeFirst().endLsn, ceiling));
        }
        if (pending.isEmpty() && reading == null) {
            flushed = Math.max(flushed, Math.min(serverLsn, ceiling));
        }
        return flushed;
    }

    /** {@return how far the sink has recorded: past the last confirmed change's commit, or up to a marker's LSN} */
    private long ceiling(WalPosition upTo) {
        if (upTo == null) {
            return flushed;
        }
        return upTo.ordinal() == MARKER ? upTo.commitLsn() : upTo.commitLsn() + 1;
    }

    /**
     * {@return the position of a progress marker to emit, or {@code null} when none is needed} One is needed when the
     * server has moved past what was confirmed while nothing emitted waits and no transaction is being read: once the
     * sink has recorded it and it is confirmed, the flushed LSN follows the server to {@code serverLsn}. One at a time.
     * Capture thread only.
     *
     * @param serverLsn the furthest position the stream has reached, as for {@link #flushable}
     */
    public WalPosition progress(long serverLsn) {
        if (!pending.isEmpty() || reading != null || serverLsn <= flushed) {
            return null;
        }
        Transaction marker = new Transaction(serverLsn, System.nanoTime(), true);
        marker.emitted = 1;
        marker.endLsn = serverLsn;
        pending.addLast(marker);
        return new WalPosition(serverLsn, MARKER);
    }

    /** The ordinal of a progress marker: before any change a transaction committed at the same LSN could emit. */
    static final long MARKER = -1;

    /**
     * {@return how long the oldest transaction not yet wholly confirmed has waited since it arrived, in nanoseconds;
     * zero when none waits} Capture thread only.
     */
    public long oldestWaitNanos() {
        for (Transaction waiting : pending) {
            // A marker carries no change: a source with nothing to capture is not behind.
            if (waiting.emitted > 0 && !waiting.marker) {
                return System.nanoTime() - waiting.arrived;
            }
        }
        return reading != null && reading.emitted > 0 ? System.nanoTime() - reading.arrived : 0;
    }

    /** {@return the transactions emitted but not yet wholly confirmed} */
    public int unconfirmedTransactions() {
        return pending.size() + (reading != null ? 1 : 0);
    }

    private static final class Transaction {
        final long commitLsn;
        final long arrived;
        final boolean marker;
        long emitted;
        long endLsn;

        Transaction(long commitLsn, long arrived, boolean marker) {
            this.commitLsn = commitLsn;
            this.arrived = arrived;
            this.marker = marker;
        }

        boolean coveredBy(WalPosition upTo) {
            if (emitted == 0) {
                return true;
            }
            long last = marker ? MARKER : emitted - 1;
            return upTo != null && (upTo.commitLsn() > commitLsn || upTo.commitLsn() == commitLsn && upTo.ordinal() >= last);
        }
    }
}
