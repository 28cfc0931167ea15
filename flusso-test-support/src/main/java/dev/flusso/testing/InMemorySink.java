package dev.flusso.testing;

import dev.flusso.api.Document;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.RetriableException;
import dev.flusso.api.Sink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A sink over a {@link SinkStore}: the buffer lives here and is lost with the instance, as in a crash; only what a
 * flush applied is in the store. Refuses to write to an index this instance has not ensured.
 *
 * <p>{@link #withLanes} makes {@link #flushAsync()} travel on threads of its own and land after random delays, so
 * flushes under way complete in any order, as concurrent bulk requests do; a flush that fails retriably keeps its
 * writes for the next. Closing the sink drops flushes that have not landed yet, as a process's death does.
 */
public final class InMemorySink implements Sink {

    private final SinkStore store;
    private final CrashPlan crashes;
    private final Set<String> ensured = new HashSet<>();
    private final List<Document> buffer = new ArrayList<>();
    private long pendingVersion = Long.MIN_VALUE;
    private boolean deadLetters = true;
    private final List<Document> kept = new ArrayList<>();
    private ExecutorService lanes;
    private Random delays;
    private volatile boolean closed;

    public InMemorySink(SinkStore store, CrashPlan crashes) {
        this.store = store;
        this.crashes = crashes;
    }

    /** {@return this sink, made to have no dead-letter destination} */
    public InMemorySink withoutDeadLetters() {
        deadLetters = false;
        return this;
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        store.ensure(index);
        ensured.add(index.name());
    }

    @Override
    public boolean isSeeded(String index) {
        return store.isSeeded(index);
    }

    @Override
    public void markSeeded(String index) {
        store.markSeeded(index);
    }

    @Override
    public void markUnseeded(String index) {
        store.markUnseeded(index);
    }

    @Override
    public Optional<String> backfillCheckpoint(String index) {
        return store.checkpoint(index);
    }

    @Override
    public void saveCheckpoint(String index, String checkpoint) {
        store.saveCheckpoint(index, checkpoint);
    }

    @Override
    public void write(Document document) {
        if (!ensured.contains(document.id().index())) {
            throw new IllegalStateException("write to index '" + document.id().index() + "' before ensureIndex");
        }
        buffer.add(document);
    }

    @Override
    public void recordVersion(long version) {
        pendingVersion = Math.max(pendingVersion, version);
    }

    @Override
    public OptionalLong recordedVersion(String index) {
        return store.recordedVersion();
    }

    /**
     * {@return this sink, with flushes that travel concurrently and land in an order drawn from {@code seed}}
     *
     * @param seed seeds the random delay of each flush, 0 to 3 ms
     */
    public InMemorySink withLanes(long seed) {
        delays = new Random(seed);
        lanes = Executors.newCachedThreadPool(run -> {
            Thread thread = new Thread(run, "in-memory-sink-lane");
            thread.setDaemon(true);
            return thread;
        });
        return this;
    }

    @Override
    public FlushResult flush() {
        synchronized (kept) {
            // What flushes under way failed to land goes first, as the next flush of a real sink carries it.
            buffer.addAll(0, kept);
            kept.clear();
        }
        crashes.hit("sink.flush.before");
        if (store.takeFailingFlush()) {
            throw new RetriableException("destination unavailable (simulated)");
        }
        store.beforeApply().accept(List.copyOf(buffer));
        List<Rejection> rejections = store.apply(buffer);
        buffer.clear();
        if (pendingVersion != Long.MIN_VALUE) {
            store.recordVersion(pendingVersion);
            pendingVersion = Long.MIN_VALUE;
        }
        crashes.hit("sink.flush.after");
        return FlushResult.rejecting(rejections);
    }

    @Override
    public CompletableFuture<FlushResult> flushAsync() {
        if (lanes == null) {
            return Sink.super.flushAsync();
        }
        List<Document> carried = new ArrayList<>();
        synchronized (kept) {
            carried.addAll(kept);
            kept.clear();
        }
        carried.addAll(buffer);
        buffer.clear();
        long version = pendingVersion;
        pendingVersion = Long.MIN_VALUE;
        long delayMicros = delays.nextInt(3_000);
        return CompletableFuture.supplyAsync(() -> land(carried, version, delayMicros), lanes);
    }

    private FlushResult land(List<Document> carried, long version, long delayMicros) {
        java.util.concurrent.locks.LockSupport.parkNanos(delayMicros * 1_000);
        if (closed) {
            throw new IllegalStateException("the sink was closed before this flush landed");
        }
        crashes.hit("sink.flush.before");
        if (store.takeFailingFlush()) {
            synchronized (kept) {
                kept.addAll(carried);
            }
            throw new RetriableException("destination unavailable (simulated)");
        }
        store.beforeApply().accept(List.copyOf(carried));
        List<Rejection> rejections = store.apply(carried);
        if (version != Long.MIN_VALUE) {
            store.recordVersion(version);
        }
        crashes.hit("sink.flush.after");
        return FlushResult.rejecting(rejections);
    }

    @Override
    public void close() {
        closed = true;
        if (lanes != null) {
            lanes.shutdown();
            try {
                lanes.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean supportsDeadLetters() {
        return deadLetters;
    }

    @Override
    public void deadLetter(List<Rejection> rejections) {
        store.deadLetter(rejections);
    }
}
