package dev.flusso.sink.opensearch;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes what the sink wrote searchable once the engine is caught up, without waiting for the indexes' own refresh
 * interval: a thread of its own refreshes the generations written since its last refresh. One refresh is under way at
 * a time and two start at least {@code minGap} apart, so a steady trickle of changes, caught up after every flush,
 * gives a bounded rate of refreshes, each covering whatever arrived meanwhile; a request that comes during a refresh
 * or the gap is served right after it.
 */
final class Refresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Refresher.class);

    private final Connection connection;
    private final long minGapNanos;
    private final Set<String> dirty = new LinkedHashSet<>();
    private Thread thread;
    private boolean closed;

    Refresher(Connection connection, Duration minGap) {
        this.connection = connection;
        this.minGapNanos = minGap.toNanos();
    }

    /** Asks for the concrete indexes to be refreshed soon. Returns at once; any thread. */
    synchronized void request(Set<String> indexes) {
        if (indexes.isEmpty() || closed) {
            return;
        }
        dirty.addAll(indexes);
        if (thread == null) {
            thread = new Thread(this::loop, "flusso-opensearch-refresh");
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    private void loop() {
        long lastStart = System.nanoTime() - minGapNanos;
        while (true) {
            Set<String> indexes;
            synchronized (this) {
                while (dirty.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
            }
            LockSupport.parkNanos(lastStart + minGapNanos - System.nanoTime());
            synchronized (this) {
                indexes = new LinkedHashSet<>(dirty);
                dirty.clear();
            }
            lastStart = System.nanoTime();
            refresh(indexes);
        }
    }

    private void refresh(Set<String> indexes) {
        StringBuilder path = new StringBuilder("/");
        for (String index : indexes) {
            path.append(path.length() > 1 ? "," : "").append(IndexNames.segment(index));
        }
        path.append("/_refresh");
        long start = System.nanoTime();
        try {
            // One attempt: a refresh that fails only delays visibility until the index's own refresh interval.
            Reply reply = connection.sendOnce("POST", path.toString(), Map.of("ignore_unavailable", "true"));
            LOG.debug("refreshed {} in {} µs", indexes, (System.nanoTime() - start) / 1_000);
            if (!reply.ok()) {
                LOG.debug("refreshing {} answered HTTP {}: {}", indexes, reply.status(), reply.error());
            }
        } catch (RuntimeException e) {
            LOG.debug("refreshing {} failed: {}", indexes, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
