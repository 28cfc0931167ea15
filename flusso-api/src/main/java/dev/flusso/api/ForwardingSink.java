package dev.flusso.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A sink that passes every call to another: the base of a decorator that changes a few calls (counting what is
 * written, giving each index a mapping of its own) and leaves the rest, new default methods included, as they are.
 * It has the threading of the sink it wraps.
 */
public abstract class ForwardingSink implements Sink {

    /** The sink every call goes to. */
    protected final Sink delegate;

    /** @param delegate the sink every call goes to, never {@code null} */
    protected ForwardingSink(Sink delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        delegate.ensureIndex(index);
    }

    @Override
    public boolean isSeeded(String index) {
        return delegate.isSeeded(index);
    }

    @Override
    public void markSeeded(String index) {
        delegate.markSeeded(index);
    }

    @Override
    public void markUnseeded(String index) {
        delegate.markUnseeded(index);
    }

    @Override
    public Optional<String> backfillCheckpoint(String index) {
        return delegate.backfillCheckpoint(index);
    }

    @Override
    public void saveCheckpoint(String index, String checkpoint) {
        delegate.saveCheckpoint(index, checkpoint);
    }

    @Override
    public void write(Document document) {
        delegate.write(document);
    }

    @Override
    public void recordVersion(long version) {
        delegate.recordVersion(version);
    }

    @Override
    public OptionalLong recordedVersion(String index) {
        return delegate.recordedVersion(index);
    }

    @Override
    public FlushResult flush() {
        return delegate.flush();
    }

    @Override
    public CompletableFuture<FlushResult> flushAsync() {
        return delegate.flushAsync();
    }

    @Override
    public void caughtUp() {
        delegate.caughtUp();
    }

    @Override
    public boolean supportsDeadLetters() {
        return delegate.supportsDeadLetters();
    }

    @Override
    public void deadLetter(List<Rejection> rejections) {
        delegate.deadLetter(rejections);
    }

    @Override
    public List<Rejection> deadLetters(String index, int limit) {
        return delegate.deadLetters(index, limit);
    }

    @Override
    public void forgetDeadLetters(List<DocumentId> ids) {
        delegate.forgetDeadLetters(ids);
    }

    @Override
    public List<Finding> check() {
        return delegate.check();
    }

    @Override
    public Map<String, Object> status(String index) {
        return delegate.status(index);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
