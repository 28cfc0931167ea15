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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
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
    private final Refresher refresher;
    private final boolean refreshWhenCaughtUp;
    private final List<Document> pending = new ArrayList<>();
    // Refused when written (a negative version): reported by the next flush.
    private final List<Rejection> refused = new ArrayList<>();
    // What flushes that failed retriably did not make durable: the next flush carries it. Filled by flush threads.
    private final List<BulkOperation> kept = new ArrayList<>();
    private final List<Rejection> keptRefused = new ArrayList<>();
    private final List<BulkOperation> keptMirrors = new ArrayList<>();
    // Generations that flushes made durable since the engine was last caught up, which a refresh makes searchable.
    private final Set<String> landed = new LinkedHashSet<>();
    // The highest version a coming flush records, and the highest one handed to the recorder.
    private long versionToRecord = Long.MIN_VALUE;
    private long recordSubmitted = Long.MIN_VALUE;
    private volatile boolean recordFailed;
    // The highest version a flush asked to record, and the highest the recorder made durable (its thread only).
    private final AtomicLong highestAsked = new AtomicLong(Long.MIN_VALUE);
    private long recordedDurably = Long.MIN_VALUE;
    private ExecutorService recorder;
    private ExecutorService flushes;

    OpenSearchSink(SinkConfig config, Connection connection, java.time.Clock clock) {
        IndexNames names = new IndexNames(config.prefix());
        this.names = names;
        this.connection = connection;
        this.generations = new Generations(connection, names, config);
        this.writer = new BulkWriter(connection, config.batchSize(), config.maxBytes(), config.maxRetries(), config.pipeline());
        this.deadLetters = new DeadLetters(connection, writer, names.deadLetters(), clock);
        this.refresher = new Refresher(connection, config.refreshMinGap());
        this.refreshWhenCaughtUp = config.refreshWhenCaughtUp();
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

    /** Flushes on the calling thread. */
    @Override
    public FlushResult flush() {
        return prepare().send();
    }

    /** The flush travels on a thread of its own; each takes one connection of the client's pool. */
    @Override
    public CompletableFuture<FlushResult> flushAsync() {
        Flight flight = prepare();
        return CompletableFuture.supplyAsync(flight::send, flushThreads());
    }

    @Override
    public void caughtUp() {
        Set<String> toRefresh;
        synchronized (landed) {
            toRefresh = Set.copyOf(landed);
            landed.clear();
        }
        if (refreshWhenCaughtUp) {
            refresher.request(toRefresh);
        }
    }

    /**
     * Turns the buffered documents into bulk operations on the worker thread, where the generations are read. Each
     * index's generation is read again once per flush, not cached for the run: with capture and workers in separate
     * processes, the capture's process starts rebuilds and swaps generations, and a worker must write where the
     * rebuild reads from the moment the rebuild's rows reach it. One small GET per index per flush.
     */
    private Flight prepare() {
        // The generations first: a read that fails leaves every buffered write where it was, for the next flush.
        Set<String> written = new LinkedHashSet<>();
        Map<String, String> targets = new HashMap<>();
        Map<String, Optional<String>> serving = new HashMap<>();
        for (Document document : pending) {
            String index = document.id().index();
            if (!targets.containsKey(index)) {
                String current = generations.currentTarget(index);
                // A generation being backfilled refreshes when it is seeded; refreshing it meanwhile slows the backfill.
                if (generations.isSeeded(index)) {
                    written.add(current);
                }
                targets.put(index, current);
                Optional<String> mirror = generations.servingDuringRebuild(index);
                mirror.ifPresent(written::add);
                serving.put(index, mirror);
            }
        }
        List<BulkOperation> operations = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>(refused);
        List<BulkOperation> mirrors = new ArrayList<>();
        refused.clear();
        synchronized (kept) {
            operations.addAll(kept);
            rejections.addAll(keptRefused);
            mirrors.addAll(keptMirrors);
            kept.clear();
            keptRefused.clear();
            keptMirrors.clear();
        }
        for (Document document : pending) {
            String index = document.id().index();
            operations.add(BulkOperation.versioned(document, targets.get(index)));
            serving.get(index).ifPresent(generation -> mirrors.add(BulkOperation.versioned(document, generation)));
        }
        pending.clear();
        return new Flight(operations, mirrors, rejections, written, record());
    }

    /**
     * Hands the version to record to the recorder, beside the documents rather than after them, which saves a round
     * trip per flush. One thread records, in the order flushes began, so a record never puts back an older version; it
     * records the highest version asked for when it gets to it, so the flushes in flight while it records share the
     * next record instead of queueing one each. A record ahead of documents that a failed flush did not write is
     * harmless: nothing is confirmed, and the changes come again.
     */
    private Future<?> record() {
        long toRecord = versionToRecord;
        if (toRecord == Long.MIN_VALUE || (toRecord <= recordSubmitted && !recordFailed)) {
            return null;
        }
        recordFailed = false;
        recordSubmitted = toRecord;
        highestAsked.accumulateAndGet(toRecord, Math::max);
        return recorder().submit(() -> {
            if (recordedDurably >= toRecord) {
                return;
            }
            long highest = highestAsked.get();
            try {
                generations.recordVersion(highest);
                recordedDurably = highest;
            } catch (RuntimeException e) {
                recordFailed = true;
                throw e;
            }
        });
    }

    /** One flush's operations, sent on whichever thread calls {@link #send}. */
    private final class Flight {
        private final List<BulkOperation> operations;
        private final List<BulkOperation> mirrors;
        private final List<Rejection> rejections;
        private final Future<?> recording;
        private final Set<String> written;

        Flight(List<BulkOperation> operations, List<BulkOperation> mirrors, List<Rejection> rejections, Set<String> written,
                Future<?> recording) {
            this.written = written;
            this.operations = operations;
            this.mirrors = mirrors;
            this.rejections = rejections;
            this.recording = recording;
        }

        FlushResult send() {
            try {
                writer.send(operations, rejections);
                awaitRecording(recording);
            } catch (RuntimeException e) {
                if (recording != null && !recording.isDone()) {
                    try {
                        awaitRecording(recording);
                    } catch (RuntimeException alsoFailed) {
                        e.addSuppressed(alsoFailed);
                    }
                }
                // What is not durable goes out with the next flush, refusals reported by the one that succeeds.
                synchronized (kept) {
                    kept.addAll(operations);
                    keptRefused.addAll(rejections);
                    keptMirrors.addAll(mirrors);
                }
                throw e;
            }
            if (!mirrors.isEmpty()) {
                sendMirrors();
            }
            synchronized (landed) {
                landed.addAll(written);
            }
            return FlushResult.rejecting(rejections);
        }

        /**
         * Best effort: the rebuilt generation is what will serve, and it took these or reported them. The serving one
         * may also be gone, swapped out by a capture process elsewhere since this flush began.
         */
        private void sendMirrors() {
            List<Rejection> mirrorRefused = new ArrayList<>();
            try {
                writer.send(mirrors, mirrorRefused);
            } catch (RuntimeException e) {
                LOG.warn("writing to the generation serving during a rebuild failed: {}", e.getMessage());
            }
            if (!mirrorRefused.isEmpty()) {
                LOG.warn("{} documents were refused by the generation serving during a rebuild, first: {}",
                        mirrorRefused.size(), mirrorRefused.get(0).reason());
            }
        }
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
            recorder = Executors.newSingleThreadExecutor(daemon("flusso-opensearch-record"));
        }
        return recorder;
    }

    private ExecutorService flushThreads() {
        if (flushes == null) {
            flushes = Executors.newCachedThreadPool(daemon("flusso-opensearch-flush"));
        }
        return flushes;
    }

    private static ThreadFactory daemon(String name) {
        return run -> {
            Thread thread = new Thread(run, name);
            thread.setDaemon(true);
            return thread;
        };
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
        refresher.close();
        if (recorder != null) {
            recorder.shutdownNow();
        }
        if (flushes != null) {
            flushes.shutdownNow();
        }
        connection.close();
    }
}
