package dev.flusso.sink.opensearch;

import dev.flusso.api.Document;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes documents to OpenSearch: versioned bulk operations into each index's current generation, state in the
 * destination's metadata index, refused items reported or dead-lettered. One worker thread at a time, as
 * {@link Sink} says; {@link #close()} from another thread closes the connection, which fails a blocked request.
 */
final class OpenSearchSink implements Sink {

    private final Connection connection;
    private final Generations generations;
    private final BulkWriter writer;
    private final DeadLetters deadLetters;
    private final List<BulkOperation> buffer = new ArrayList<>();
    // Items already refused by an attempt that then failed: reported by the flush that finally succeeds.
    private final List<Rejection> refused = new ArrayList<>();

    OpenSearchSink(SinkConfig config, Connection connection, java.time.Clock clock) {
        IndexNames names = new IndexNames(config.prefix());
        this.connection = connection;
        this.generations = new Generations(connection, names, config);
        this.writer = new BulkWriter(connection, config.batchSize(), config.maxBytes(), config.maxRetries(), config.pipeline());
        this.deadLetters = new DeadLetters(connection, writer, names.deadLetters(), clock);
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        generations.ensure(index);
    }

    @Override
    public boolean isSeeded(String index) {
        return generations.isSeeded(index);
    }

    @Override
    public void markUnseeded(String index) {
        generations.rebuild(index);
    }

    @Override
    public void markSeeded(String index) {
        generations.markSeeded(index);
    }

    @Override
    public Optional<String> backfillCheckpoint(String index) {
        return generations.checkpoint(index);
    }

    @Override
    public void saveCheckpoint(String index, String checkpoint) {
        generations.saveCheckpoint(index, checkpoint);
    }

    @Override
    public void write(Document document) {
        if (document.version() < 0) {
            // OpenSearch would refuse the whole bulk request for one negative external version.
            refused.add(new Rejection(document, "version " + document.version() + " is negative: external versions start at 0"));
            return;
        }
        buffer.add(BulkOperation.versioned(document, generations.target(document.id().index())));
    }

    @Override
    public FlushResult flush() {
        writer.send(buffer, refused);
        FlushResult result = FlushResult.rejecting(refused);
        refused.clear();
        return result;
    }

    @Override
    public boolean supportsDeadLetters() {
        return true;
    }

    @Override
    public void deadLetter(List<Rejection> rejections) {
        deadLetters.write(rejections);
    }

    @Override
    public void close() {
        buffer.clear();
        connection.close();
    }
}
