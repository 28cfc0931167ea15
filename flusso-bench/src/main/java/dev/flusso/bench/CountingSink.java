package dev.flusso.bench;

import dev.flusso.api.Document;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The engine's sink, counting the documents each flush made durable. It also gives the sink each index's mapping
 * as derived with the sink's own options, as {@code flusso run} does. Only the worker thread writes and flushes.
 */
final class CountingSink implements Sink {

    private final Sink sink;
    private final Map<String, IndexDefinition> definitions;
    private final boolean trackIds;
    private final AtomicLong durable = new AtomicLong();
    private final List<String> pendingIds = new ArrayList<>();
    private long pending;
    private volatile BiConsumer<List<String>, Long> onFlush = (ids, nanos) -> { };

    CountingSink(Sink sink, Map<String, IndexDefinition> definitions, boolean trackIds) {
        this.sink = sink;
        this.definitions = Map.copyOf(definitions);
        this.trackIds = trackIds;
    }

    /** {@return the documents made durable so far} */
    long durable() {
        return durable.get();
    }

    /** Calls {@code listener} after each flush with the ids it made durable and {@link System#nanoTime()}. */
    void onFlush(BiConsumer<List<String>, Long> listener) {
        this.onFlush = listener;
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        sink.ensureIndex(definitions.getOrDefault(index.name(), index));
    }

    @Override
    public boolean isSeeded(String index) {
        return sink.isSeeded(index);
    }

    @Override
    public void markSeeded(String index) {
        sink.markSeeded(index);
    }

    @Override
    public void markUnseeded(String index) {
        sink.markUnseeded(index);
    }

    @Override
    public Optional<String> backfillCheckpoint(String index) {
        return sink.backfillCheckpoint(index);
    }

    @Override
    public void saveCheckpoint(String index, String checkpoint) {
        sink.saveCheckpoint(index, checkpoint);
    }

    @Override
    public void write(Document document) {
        sink.write(document);
        pending++;
        if (trackIds) {
            pendingIds.add(document.id().id());
        }
    }

    @Override
    public FlushResult flush() {
        try {
            FlushResult result = sink.flush();
            long now = System.nanoTime();
            durable.addAndGet(pending - result.rejections().size());
            if (trackIds) {
                onFlush.accept(List.copyOf(pendingIds), now);
            }
            return result;
        } finally {
            // A failed flush is retried by the engine, which writes its documents again.
            pending = 0;
            pendingIds.clear();
        }
    }

    @Override
    public boolean supportsDeadLetters() {
        return sink.supportsDeadLetters();
    }

    @Override
    public void deadLetter(List<Rejection> rejections) {
        sink.deadLetter(rejections);
    }

    @Override
    public void close() {
        sink.close();
    }
}
