package dev.flusso.testing;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The durable side of an {@link InMemorySink}: what a destination keeps across runs. Documents carry versions: a
 * write older than the stored version is ignored, as OpenSearch's external versioning does. Deletions leave a
 * versioned tombstone. A rebuild ({@code markUnseeded}, then {@code markSeeded}) keeps only what was written in
 * between, as a swap to a fresh generation does. Thread-safe.
 */
public final class SinkStore {

    /** A stored document, or a tombstone when {@code source} is null. */
    public record Entry(long version, String source) {
    }

    private final Map<DocumentId, Entry> documents = new HashMap<>();
    private final Map<String, IndexDefinition> indexes = new LinkedHashMap<>();
    private final Set<String> seeded = new TreeSet<>();
    private final Map<String, String> checkpoints = new HashMap<>();
    private final Map<String, Set<String>> rebuilding = new HashMap<>();
    private final Map<DocumentId, String> refused = new HashMap<>();
    private final List<Rejection> deadLetters = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private int flushes;
    private long recorded = Long.MIN_VALUE;
    private int failingFlushes;
    private Consumer<List<Document>> beforeApply = documents -> { };

    /** Makes the destination refuse the document for its content, with the reason. */
    public synchronized SinkStore refuse(DocumentId id, String reason) {
        refused.put(id, reason);
        return this;
    }

    /** Lets the document through again after {@link #refuse}. */
    public synchronized SinkStore accept(DocumentId id) {
        refused.remove(id);
        return this;
    }

    /** Makes the next n flushes fail with a retriable error, as a destination that is briefly down. */
    public synchronized SinkStore failNextFlushes(int n) {
        failingFlushes = n;
        return this;
    }

    /** Runs before each flush is applied, outside the store's lock: a test may block here to stall the sink. */
    public synchronized SinkStore beforeApply(Consumer<List<Document>> hook) {
        beforeApply = hook;
        return this;
    }

    synchronized boolean takeFailingFlush() {
        if (failingFlushes > 0) {
            failingFlushes--;
            return true;
        }
        return false;
    }

    synchronized Consumer<List<Document>> beforeApply() {
        return beforeApply;
    }

    synchronized void ensure(IndexDefinition index) {
        indexes.put(index.name(), index);
        events.add("ensure " + index.name());
    }

    synchronized List<Rejection> apply(List<Document> batch) {
        List<Rejection> rejections = new ArrayList<>();
        for (Document document : batch) {
            String reason = refused.get(document.id());
            if (reason != null) {
                rejections.add(new Rejection(document, reason));
                continue;
            }
            Set<String> rewritten = rebuilding.get(document.id().index());
            if (rewritten != null) {
                rewritten.add(document.id().id());
            }
            Entry stored = documents.get(document.id());
            if (stored == null || document.version() >= stored.version()) {
                documents.put(document.id(), new Entry(document.version(), document.source()));
            }
            events.add((document.isDeletion() ? "delete " : "write ") + document.id());
        }
        flushes++;
        events.add("flush");
        return rejections;
    }

    /** Records the index as seeded, as a destination seeded by an earlier run would. */
    public synchronized void markSeeded(String index) {
        Set<String> rewritten = rebuilding.remove(index);
        if (rewritten != null) {
            // A rebuild ends as a swap to a fresh generation: what was not written again is gone, tombstones too.
            documents.keySet().removeIf(id -> id.index().equals(index) && !rewritten.contains(id.id()));
        }
        seeded.add(index);
        checkpoints.remove(index);
        events.add("seeded " + index);
    }

    synchronized void markUnseeded(String index) {
        rebuilding.computeIfAbsent(index, k -> new java.util.HashSet<>());
        seeded.remove(index);
        checkpoints.remove(index);
        events.add("unseeded " + index);
    }

    synchronized void recordVersion(long version) {
        recorded = Math.max(recorded, version);
    }

    synchronized OptionalLong recordedVersion() {
        return recorded == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(recorded);
    }

    /** What the destination holds at one moment, to put it back with {@link #restore}. */
    public record Backup(Map<DocumentId, Entry> documents, Set<String> seeded, Map<String, String> checkpoints, long recorded) {
    }

    /** {@return a copy of what the destination holds now, as a backup of it would be} */
    public synchronized Backup backup() {
        return new Backup(new HashMap<>(documents), new TreeSet<>(seeded), new HashMap<>(checkpoints), recorded);
    }

    /** Puts the destination back as it was at the backup, behind the engine's back. */
    public synchronized void restore(Backup backup) {
        documents.clear();
        documents.putAll(backup.documents());
        seeded.clear();
        seeded.addAll(backup.seeded());
        checkpoints.clear();
        checkpoints.putAll(backup.checkpoints());
        rebuilding.clear();
        recorded = backup.recorded();
        events.add("restored");
    }

    synchronized void saveCheckpoint(String index, String checkpoint) {
        checkpoints.put(index, checkpoint);
    }

    synchronized void deadLetter(List<Rejection> rejections) {
        deadLetters.addAll(rejections);
    }

    public synchronized boolean isSeeded(String index) {
        return seeded.contains(index);
    }

    public synchronized Optional<String> checkpoint(String index) {
        return Optional.ofNullable(checkpoints.get(index));
    }

    /** {@return the stored entry of the document, tombstones included} */
    public synchronized Optional<Entry> entry(DocumentId id) {
        return Optional.ofNullable(documents.get(id));
    }

    /** {@return the live documents by index, then id, tombstones left out; comparable to the oracle's} */
    public synchronized Map<String, Map<String, String>> documents() {
        Map<String, Map<String, String>> live = new TreeMap<>();
        for (String index : indexes.keySet()) {
            live.put(index, new TreeMap<>());
        }
        documents.forEach((id, entry) -> {
            if (entry.source() != null) {
                live.computeIfAbsent(id.index(), k -> new TreeMap<>()).put(id.id(), entry.source());
            }
        });
        return live;
    }

    public synchronized Map<String, IndexDefinition> indexes() {
        return Map.copyOf(indexes);
    }

    public synchronized List<Rejection> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** {@return what happened, in order: ensure, write, delete, flush, seeded} */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized int flushes() {
        return flushes;
    }
}
