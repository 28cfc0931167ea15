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
import java.util.Set;

/**
 * A sink over a {@link SinkStore}: the buffer lives here and is lost with the instance, as in a crash; only what a
 * flush applied is in the store. Refuses to write to an index this instance has not ensured.
 */
public final class InMemorySink implements Sink {

    private final SinkStore store;
    private final CrashPlan crashes;
    private final Set<String> ensured = new HashSet<>();
    private final List<Document> buffer = new ArrayList<>();
    private long pendingVersion = Long.MIN_VALUE;
    private boolean deadLetters = true;

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

    @Override
    public FlushResult flush() {
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
    public boolean supportsDeadLetters() {
        return deadLetters;
    }

    @Override
    public void deadLetter(List<Rejection> rejections) {
        store.deadLetter(rejections);
    }
}
