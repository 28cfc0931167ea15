package dev.flusso.bench;

import dev.flusso.api.Document;
import dev.flusso.api.FlushResult;
import dev.flusso.api.ForwardingSink;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The engine's sink, counting the documents each flush made durable. It also gives the sink each index's mapping
 * as derived with the sink's own options, as {@code flusso run} does. Only the worker thread writes and flushes.
 */
final class CountingSink extends ForwardingSink {

    private final Map<String, IndexDefinition> definitions;
    private final boolean trackIds;
    private final AtomicLong durable = new AtomicLong();
    private final List<String> pendingIds = new ArrayList<>();
    private long pending;
    // Documents of flushes that failed: the sink keeps them for the next flush.
    private final List<String> kept = new ArrayList<>();
    private long keptCount;
    private volatile boolean recordVersions = true;
    private volatile BiConsumer<List<String>, Long> onFlush = (ids, nanos) -> { };

    CountingSink(Sink sink, Map<String, IndexDefinition> definitions, boolean trackIds) {
        super(sink);
        this.definitions = Map.copyOf(definitions);
        this.trackIds = trackIds;
    }

    /** {@return the documents made durable so far} */
    long durable() {
        return durable.get();
    }

    /** Passes no version records on: the sink then writes one request less per flush, which is what they cost. */
    void skipVersionRecords() {
        recordVersions = false;
    }

    @Override
    public void recordVersion(long version) {
        if (recordVersions) {
            delegate.recordVersion(version);
        }
    }

    /** Calls {@code listener} after each flush with the ids it made durable and {@link System#nanoTime()}. */
    void onFlush(BiConsumer<List<String>, Long> listener) {
        this.onFlush = listener;
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        delegate.ensureIndex(definitions.getOrDefault(index.name(), index));
    }

    @Override
    public void write(Document document) {
        delegate.write(document);
        pending++;
        if (trackIds) {
            pendingIds.add(document.id().id());
        }
    }

    @Override
    public FlushResult flush() {
        try {
            FlushResult result = delegate.flush();
            counted(pending, List.copyOf(pendingIds), result);
            return result;
        } finally {
            // A failed flush is retried by the engine, which writes its documents again.
            pending = 0;
            pendingIds.clear();
        }
    }

    /** Counts when the flush lands, on the thread it lands on; a failed one's documents count with the flush that carries them. */
    @Override
    public CompletableFuture<FlushResult> flushAsync() {
        long carried;
        List<String> ids;
        synchronized (kept) {
            carried = pending + keptCount;
            ids = new ArrayList<>(kept);
            ids.addAll(pendingIds);
            keptCount = 0;
            kept.clear();
        }
        pending = 0;
        pendingIds.clear();
        CompletableFuture<FlushResult> flush;
        try {
            flush = delegate.flushAsync();
        } catch (RuntimeException e) {
            // Not started: the sink kept its writes, and they count with the flush that carries them.
            synchronized (kept) {
                keptCount += carried;
                kept.addAll(ids);
            }
            throw e;
        }
        return flush.whenComplete((result, failure) -> {
            if (failure == null) {
                counted(carried, ids, result);
            } else {
                synchronized (kept) {
                    keptCount += carried;
                    kept.addAll(ids);
                }
            }
        });
    }

    private void counted(long documents, List<String> ids, FlushResult result) {
        long now = System.nanoTime();
        durable.addAndGet(documents - result.rejections().size());
        if (trackIds) {
            onFlush.accept(ids, now);
        }
    }
}
