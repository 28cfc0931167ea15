package dev.flusso.sink.opensearch;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Finding;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes documents to OpenSearch: versioned bulk operations into each index's current generation, state in the
 * destination's metadata index, refused items reported or dead-lettered. One worker thread at a time, as
 * {@link Sink} says; {@link #close()} from another thread closes the connection, which fails a blocked request.
 */
final class OpenSearchSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchSink.class);

    private final Connection connection;
    private final IndexNames names;
    private final Generations generations;
    private final BulkWriter writer;
    private final DeadLetters deadLetters;
    private final List<Document> pending = new ArrayList<>();
    private final List<BulkOperation> buffer = new ArrayList<>();
    // Copies for the generation that serves while a rebuild of the same schema fills its successor.
    private final List<BulkOperation> mirrorBuffer = new ArrayList<>();
    // Items already refused by an attempt that then failed: reported by the flush that finally succeeds.
    private final List<Rejection> refused = new ArrayList<>();
    // The highest version a coming flush records, and the last one recorded.
    private long versionToRecord = Long.MIN_VALUE;
    private long recorded = Long.MIN_VALUE;
    private ExecutorService recorder;

    OpenSearchSink(SinkConfig config, Connection connection, java.time.Clock clock) {
        IndexNames names = new IndexNames(config.prefix());
        this.names = names;
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
        pending.add(document);
    }

    /**
     * Each index's generation is read again once per flush, not cached for the run: with capture and workers in
     * separate processes, the capture's process starts rebuilds and swaps generations, and a worker must write where
     * the rebuild reads from the moment the rebuild's rows reach it. One small GET per index per flush.
     */
    @Override
    public FlushResult flush() {
        Map<String, String> targets = new java.util.HashMap<>();
        Map<String, Optional<String>> mirrors = new java.util.HashMap<>();
        for (Document document : pending) {
            String index = document.id().index();
            String target = targets.computeIfAbsent(index, generations::currentTarget);
            buffer.add(BulkOperation.versioned(document, target));
            mirrors.computeIfAbsent(index, generations::servingDuringRebuild)
                    .ifPresent(serving -> mirrorBuffer.add(BulkOperation.versioned(document, serving)));
        }
        pending.clear();
        long toRecord = versionToRecord;
        // Beside the documents rather than after them, which saves a round trip per flush. A record ahead of documents
        // that a failed flush did not write is harmless: nothing is confirmed, and the changes come again.
        Future<?> recording = toRecord > recorded ? recorder().submit(() -> generations.recordVersion(toRecord)) : null;
        try {
            writer.send(buffer, refused);
        } catch (RuntimeException e) {
            try {
                awaitRecording(recording);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        awaitRecording(recording);
        if (recording != null) {
            recorded = toRecord;
        }
        if (!mirrorBuffer.isEmpty()) {
            // Best effort: the rebuilt generation is what will serve, and it took these or reported them above. The
            // serving one may also be gone, swapped out by a capture process elsewhere since this flush began.
            List<Rejection> mirrorRefused = new ArrayList<>();
            try {
                writer.send(mirrorBuffer, mirrorRefused);
            } catch (RuntimeException e) {
                LOG.warn("writing to the generation serving during a rebuild failed: {}", e.getMessage());
            }
            mirrorBuffer.clear();
            if (!mirrorRefused.isEmpty()) {
                LOG.warn("{} documents were refused by the generation serving during a rebuild, first: {}",
                        mirrorRefused.size(), mirrorRefused.get(0).reason());
            }
        }
        FlushResult result = FlushResult.rejecting(refused);
        refused.clear();
        return result;
    }

    @Override
    public void recordVersion(long version) {
        versionToRecord = Math.max(versionToRecord, version);
    }

    @Override
    public OptionalLong recordedVersion(String index) {
        return generations.recorded(index);
    }

    private ExecutorService recorder() {
        if (recorder == null) {
            recorder = Executors.newSingleThreadExecutor(run -> {
                Thread thread = new Thread(run, "flusso-opensearch-record");
                thread.setDaemon(true);
                return thread;
            });
        }
        return recorder;
    }

    /** Waits for the version record, and fails the flush as it failed: retriable or not. */
    private static void awaitRecording(Future<?> recording) {
        if (recording == null) {
            return;
        }
        try {
            recording.get();
        } catch (InterruptedException e) {
            recording.cancel(true);
            Thread.currentThread().interrupt();
            throw new FlussoException("interrupted while recording the flushed version", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new FlussoException("recording the flushed version failed: " + e.getCause(), e.getCause());
        }
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
    public List<Rejection> deadLetters(String index, int limit) {
        return deadLetters.read(index, limit);
    }

    @Override
    public void forgetDeadLetters(List<DocumentId> ids) {
        deadLetters.forget(ids);
    }

    /** The cluster as the sink reaches it: its name and version, and its health. */
    @Override
    public List<Finding> check() {
        String subject = "the cluster";
        Reply root = connection.get("/");
        if (!root.ok()) {
            return List.of(Finding.error(subject, "answered HTTP " + root.status() + " " + root.error(),
                    root.status() == 401 || root.status() == 403 ? "check username and password" : "check url"));
        }
        List<Finding> findings = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode about = root.json();
        findings.add(Finding.ok(subject, "'" + about.path("cluster_name").asText() + "', "
                + about.path("version").path("distribution").asText("opensearch") + " " + about.path("version").path("number").asText()));
        Reply health = connection.get("/_cluster/health");
        String status = health.ok() ? health.json().path("status").asText() : "unknown";
        if (status.equals("red")) {
            findings.add(Finding.error(subject, "health is red: some primary shards are not allocated",
                    "see GET /_cluster/allocation/explain"));
        } else if (!status.equals("green") && !status.equals("yellow")) {
            findings.add(Finding.warning(subject, "health is " + status, "see GET /_cluster/health"));
        }
        return findings;
    }

    /** Read straight from the destination, so another thread may ask while the worker writes. */
    @Override
    public Map<String, Object> status(String index) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.putAll(generations.describe(index));
        Reply count = connection.get("/" + IndexNames.segment(names.alias(index)) + "/_count");
        if (count.ok()) {
            status.put("documents", count.json().path("count").asLong());
        }
        return status;
    }

    @Override
    public void close() {
        pending.clear();
        buffer.clear();
        mirrorBuffer.clear();
        if (recorder != null) {
            recorder.shutdownNow();
        }
        connection.close();
    }
}
