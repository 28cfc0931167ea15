package dev.flusso.cli;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Finding;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sink given each index's mapping as derived with its own section's options ({@code auto_subfields},
 * {@code text_analysis}, shards, replicas): several sinks of one deployment may map the same index differently.
 */
final class SinkWithOwnMappings implements Sink {

    private final Sink sink;
    private final Map<String, IndexDefinition> definitions;

    SinkWithOwnMappings(Sink sink, Map<String, IndexDefinition> definitions) {
        this.sink = sink;
        this.definitions = Map.copyOf(definitions);
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
    }

    @Override
    public FlushResult flush() {
        return sink.flush();
    }

    @Override
    public List<Finding> check() {
        return sink.check();
    }

    @Override
    public Map<String, Object> status(String index) {
        return sink.status(index);
    }

    @Override
    public List<Rejection> deadLetters(String index, int limit) {
        return sink.deadLetters(index, limit);
    }

    @Override
    public void forgetDeadLetters(List<DocumentId> ids) {
        sink.forgetDeadLetters(ids);
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
