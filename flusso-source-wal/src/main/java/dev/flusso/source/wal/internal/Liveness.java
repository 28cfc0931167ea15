package dev.flusso.source.wal.internal;

import dev.flusso.api.RetriableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Notices a replication connection that died without closing (a network cut, a firewall or NAT that dropped the
 * flow): reading it then just finds nothing, and status updates vanish into the socket's buffer. So the server is
 * asked, over the query connection, whether it still hears this stream: the slot must still be held by this
 * connection's walsender. The server is the judge: a walsender that hears no status update for
 * {@code wal_sender_timeout} ends, and the slot is then held by no one (or another). Only where the server never ends
 * one ({@code wal_sender_timeout = 0}) is the last status update it received ({@code pg_stat_replication.reply_time},
 * sent at least every status interval) watched instead, and it must keep changing; comparing successive values rather
 * than against the server's clock keeps that right between machines whose clocks differ.
 *
 * <p>Judging by {@code reply_time} where the server has its own timeout once reconnected a stream that was alive: a
 * walsender busy sending a large transaction to a capture that waits on slow builds reads status updates late, and
 * every reconnect started that transaction over.
 *
 * <p>The query waits at most {@code socket_timeout}: a cut that took the query connection too shows as a timeout. A
 * dead stream, or no answer from a fresh query connection either, is a {@link RetriableException}: the capture
 * reconnects with backoff.
 */
final class Liveness {

    private final String slot;
    private final Duration timeout;

    private final boolean serverJudges;
    private final long staleNanos;
    private final Supplier<Connection> connection;
    private final Runnable reconnect;

    private int walsender;
    private Timestamp lastReply;
    private long lastChange;

    /**
     * @param settings the slot, status interval and socket timeout
     * @param walSenderTimeout the server's {@code wal_sender_timeout}, zero when off
     * @param connection the current query connection, opened on demand
     * @param reconnect drops the query connection, so the next {@code connection.get()} opens a fresh one
     */
    Liveness(WalSettings settings, Duration walSenderTimeout, Supplier<Connection> connection, Runnable reconnect) {
        this.slot = settings.slot();
        this.timeout = settings.socketTimeout();
        // Three missed status updates and some slack before the stream counts as dead; and never less than a
        // walsender busy sending may leave them unread (half wal_sender_timeout), plus an update and the slack.
        Duration missed = settings.statusInterval().multipliedBy(3);
        Duration unread = walSenderTimeout.dividedBy(2).plus(settings.statusInterval());
        this.staleNanos = (missed.compareTo(unread) >= 0 ? missed : unread).plusSeconds(5).toNanos();
        this.serverJudges = !walSenderTimeout.isZero();
        this.connection = connection;
        this.reconnect = reconnect;
    }

    /** Starts watching a new session's walsender. */
    void watch(int walsenderPid) {
        walsender = walsenderPid;
        lastReply = null;
        lastChange = System.nanoTime();
    }

    /**
     * @param heard whether a message came from the server since the last check: a stream that delivers is alive in
     *     that direction, and a walsender busy sending reads status updates only every half {@code wal_sender_timeout}
     *     (its fast path), so their time says little then
     * @throws RetriableException if the server no longer hears this stream, or cannot be asked
     */
    void check(boolean heard) {
        State state;
        try {
            state = read();
        } catch (SQLException first) {
            // The query connection alone may have gone (an idle-session timeout): one fresh attempt tells.
            reconnect.run();
            try {
                state = read();
            } catch (SQLException e) {
                reconnect.run();
                throw new RetriableException("the liveness check of replication slot '" + slot + "' got no answer within"
                        + " socket_timeout (" + timeout.toMillis() + " ms): " + e.getMessage(), e);
            }
        }
        if (state == null) {
            throw Problems.slotDropped(slot);
        }
        if (state.activePid() != walsender) {
            throw new RetriableException("replication slot '" + slot + "' is no longer streamed to this connection: its"
                    + " walsender (process " + walsender + ") ended, as the server does after wal_sender_timeout without"
                    + " status updates; reconnecting");
        }
        long now = System.nanoTime();
        if (serverJudges || heard || !Objects.equals(state.reply(), lastReply)) {
            lastReply = state.reply();
            lastChange = now;
        } else if (now - lastChange > staleNanos) {
            throw new RetriableException("the server received no status update from the replication connection of slot '"
                    + slot + "' for " + Duration.ofNanos(now - lastChange).toSeconds() + " s, although one is sent at least"
                    + " every status_interval: the connection is dead; reconnecting");
        }
    }

    private record State(int activePid, Timestamp reply) {
    }

    private State read() throws SQLException {
        Connection query = connection.get();
        query.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (PreparedStatement statement = query.prepareStatement("SELECT coalesce(s.active_pid, 0), r.reply_time"
                + " FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid"
                + " WHERE s.slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? new State(row.getInt(1), row.getTimestamp(2)) : null;
            }
        } finally {
            try {
                query.setNetworkTimeout(Runnable::run, 0);
            } catch (SQLException e) {
                // a broken connection: the caller drops it
            }
        }
    }
}
