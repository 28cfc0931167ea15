package dev.flusso.core.internal;

import dev.flusso.api.BatchReport;
import dev.flusso.api.BuildOutput;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.Document;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Observer;
import dev.flusso.api.Rejection;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.RetriableException;
import dev.flusso.api.Sink;
import dev.flusso.api.SnapshotPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one batch from changes to acknowledgement in two steps. {@link #begin} resolves, dedups, builds, writes and
 * starts the flush, which travels while the worker begins the next batch; {@link #settle}, once the flush is durable,
 * applies the failure policies, records backfill checkpoints and acknowledges. Nothing is acknowledged unless every
 * step before it succeeded, so a failure anywhere leaves the batch to be redelivered. Worker thread only.
 */
public final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);
    private static final long CHECKPOINT_GAP_NANOS = Duration.ofSeconds(1).toNanos();

    private final DocumentBuilder builder;
    private final Sink sink;
    private final ChangeQueue queue;
    private final FailurePolicies policies;
    private final Flusher flusher;
    private final Observer observer;
    private final Set<String> liveIndexes;
    private final Blame blame;
    private final Map<String, Long> checkpointsSaved = new java.util.HashMap<>();

    public BatchProcessor(DocumentBuilder builder, Sink sink, ChangeQueue queue, FailurePolicies policies,
            Observer observer, Set<String> liveIndexes, Sleeper sleeper, Blame blame) {
        this.blame = blame;
        this.builder = builder;
        this.sink = sink;
        this.queue = queue;
        this.policies = policies;
        this.observer = observer;
        this.liveIndexes = Set.copyOf(liveIndexes);
        this.flusher = new Flusher(policies, observer, sleeper);
    }

    /**
     * Resolves, dedups and builds the batch, writes its documents and starts their flush.
     *
     * @param drainedQueue whether the batch took every change that was waiting in the queue
     * @return the batch in flight
     * @throws FlussoException if the build fails for good
     * @throws InterruptedException if the worker is stopped while waiting to retry the build
     */
    public Flight begin(ChangeBatch batch, boolean drainedQueue) throws InterruptedException {
        long started = System.nanoTime();
        Map<String, List<Change>> snapshots = new LinkedHashMap<>();
        List<Change> live = new ArrayList<>();
        long highestVersion = Long.MIN_VALUE;
        int progress = 0;
        for (Change change : batch.changes()) {
            highestVersion = Math.max(highestVersion, change.version());
            if (change.position() instanceof SnapshotPosition at) {
                snapshots.computeIfAbsent(at.index(), k -> new ArrayList<>()).add(change);
            } else if (change.isProgress()) {
                progress++;
            } else {
                live.add(change);
            }
        }

        // Resolve and build read the source, which may be restarting: run again from the start, and write again
        // whatever an attempt had written before it failed (the same documents, by id and version).
        Collector collector = flusher.retrying("build", () -> {
            Map<DocumentId, Long> versions = new LinkedHashMap<>();
            resolve(live, liveIndexes, versions);
            snapshots.forEach((index, rows) -> resolve(rows, Set.of(index), versions));
            Collector built = new Collector(versions);
            blame.run(Blame.BUILDER, () -> builder.build(versions.keySet(), built));
            built.checkComplete();
            return built;
        });
        long built = System.nanoTime();

        // Made durable by the flush, before the source hears of it: a later start can then tell a sink that lost it. A
        // snapshot's version is where the source stood when it was taken, so a backfill records it too.
        long highest = highestVersion;
        blame.run(Blame.SINK, () -> sink.recordVersion(highest));
        return new Flight(batch, snapshots, collector, progress, highest, started, built, drainedQueue, startFlush());
    }

    /** A sink that fails to start a flush fails that flush: the engine retries it as it retries one that failed later. */
    private CompletableFuture<FlushResult> startFlush() {
        try {
            return sink.flushAsync();
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(blame.note(e, Blame.SINK));
        }
    }

    /**
     * Makes the writes of flights whose flush failed retriably durable: flushes again, with backoff, as the policies
     * allow. The sink kept those writes; nothing else may be in flight.
     *
     * @param failed the flights whose flush failed, oldest first
     * @param first the failure of the oldest
     * @return the outcome of the flush that made them durable
     */
    public FlushResult retry(List<Flight> failed, RetriableException first) throws InterruptedException {
        long highest = failed.stream().mapToLong(Flight::highestVersion).max().orElse(Long.MIN_VALUE);
        return flusher.retryingAfter("flush", first, () -> {
            blame.run(Blame.SINK, () -> sink.recordVersion(highest));
            return landed(startFlush());
        });
    }

    /**
     * {@return what the flight's flush made durable, once it completed} It fails as the flush failed, blamed on the
     * sink, whichever thread the flush ran on.
     */
    public FlushResult outcome(Flight flight) throws InterruptedException {
        return landed(flight.flush);
    }

    private FlushResult landed(CompletableFuture<FlushResult> flush) throws InterruptedException {
        try {
            return Flusher.await(flush);
        } catch (RuntimeException | Error e) {
            blame.note(e, Blame.SINK);
            throw e;
        }
    }

    /**
     * Applies the failure policies to the flight's rejections, records its backfill checkpoints and acknowledges it.
     * Flights are settled in the order they began.
     *
     * @param result what its flush made durable
     * @return what the batch did
     */
    public BatchReport settle(Flight flight, FlushResult result) {
        List<Rejection> rejections = new ArrayList<>(flight.collector.failures);
        rejections.addAll(result.rejections());
        handle(rejections);

        long now = System.nanoTime();
        flight.snapshots.forEach((index, rows) -> {
            // One save a second at most: each is a write the worker waits for, and a backfill resumed from an older
            // checkpoint only reads again what it had flushed since.
            Long saved = checkpointsSaved.get(index);
            if (saved == null || now - saved >= CHECKPOINT_GAP_NANOS) {
                SnapshotPosition last = (SnapshotPosition) rows.get(rows.size() - 1).position();
                blame.run(Blame.SINK, () -> sink.saveCheckpoint(index, last.checkpoint()));
                checkpointsSaved.put(index, now);
            }
        });
        blame.run(Blame.QUEUE, () -> queue.acknowledge(flight.batch));

        List<Change> changes = flight.batch.changes();
        BatchReport report = new BatchReport(changes.size() - flight.progress, flight.collector.documents,
                flight.collector.deletions, rejections.size(), changes.stream().allMatch(Change::isSnapshot),
                flight.highestVersion, Duration.ofNanos(flight.built - flight.started),
                Duration.ofNanos(System.nanoTime() - flight.built));
        observer.batchFlushed(report);
        return report;
    }

    /** {@return where the failures of the edges this processor calls are noted} */
    Blame blame() {
        return blame;
    }

    /** Tells the sink the engine is caught up: a settled flight's batch took every change that was waiting. */
    public void caughtUp() {
        blame.run(Blame.SINK, sink::caughtUp);
    }

    /** A batch whose documents are written and whose flush is under way. */
    public static final class Flight {
        private final ChangeBatch batch;
        private final Map<String, List<Change>> snapshots;
        private final Collector collector;
        private final int progress;
        private final long highestVersion;
        private final long started;
        private final long built;
        private final boolean drainedQueue;
        private final CompletableFuture<FlushResult> flush;

        private Flight(ChangeBatch batch, Map<String, List<Change>> snapshots, Collector collector, int progress,
                long highestVersion, long started, long built, boolean drainedQueue, CompletableFuture<FlushResult> flush) {
            this.drainedQueue = drainedQueue;
            this.batch = batch;
            this.snapshots = snapshots;
            this.collector = collector;
            this.progress = progress;
            this.highestVersion = highestVersion;
            this.started = started;
            this.built = built;
            this.flush = flush;
        }

        /** {@return the flush under way} */
        public CompletableFuture<FlushResult> flush() {
            return flush;
        }

        /** {@return how many changes the batch holds} */
        public int size() {
            return batch.changes().size();
        }

        long highestVersion() {
            return highestVersion;
        }

        /** {@return whether the batch took every change that was waiting when it was taken} */
        public boolean drainedQueue() {
            return drainedQueue;
        }
    }

    private void resolve(List<Change> changes, Set<String> scope, Map<DocumentId, Long> versions) {
        if (changes.isEmpty()) {
            return;
        }
        blame.run(Blame.BUILDER, () -> builder.resolve(changes, scope, (id, version) -> {
            // A builder may find more than asked for; writing outside the scope would touch an index mid-backfill.
            if (scope.contains(id.index())) {
                versions.merge(id, version, Math::max);
            }
        }));
    }

    private void handle(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        List<Rejection> deadLetters = new ArrayList<>();
        for (Rejection rejection : rejections) {
            if (policies.rejectionPolicy(rejection.document().id().index()) == RejectionPolicy.STOP) {
                throw new FlussoException("stopping: " + rejection + " (on_error = stop; fix the cause, or choose "
                        + "on_error = skip or dead_letter for index '" + rejection.document().id().index() + "')");
            }
        }
        for (Rejection rejection : rejections) {
            RejectionPolicy policy = policies.rejectionPolicy(rejection.document().id().index());
            if (policy == RejectionPolicy.DEAD_LETTER) {
                deadLetters.add(rejection);
            } else {
                LOG.warn("skipped {}", rejection);
            }
        }
        if (!deadLetters.isEmpty()) {
            blame.run(Blame.SINK, () -> sink.deadLetter(deadLetters));
        }
        for (Rejection rejection : rejections) {
            observer.rejected(rejection, policies.rejectionPolicy(rejection.document().id().index()));
        }
    }

    /** Writes built documents straight to the sink, holding only the per-item failures. */
    private final class Collector implements BuildOutput {
        private final Map<DocumentId, Long> pending;
        private final List<Rejection> failures = new ArrayList<>();
        private int documents;
        private int deletions;

        Collector(Map<DocumentId, Long> versions) {
            this.pending = new LinkedHashMap<>(versions);
        }

        @Override
        public void document(DocumentId id, String source) {
            blame.run(Blame.SINK, () -> sink.write(Document.upsert(id, answer(id), source)));
            documents++;
        }

        @Override
        public void deleted(DocumentId id) {
            blame.run(Blame.SINK, () -> sink.write(Document.deletion(id, answer(id))));
            deletions++;
        }

        @Override
        public void failed(DocumentId id, String reason) {
            failures.add(Rejection.unbuilt(id, answer(id), reason));
        }

        private long answer(DocumentId id) {
            Long version = pending.remove(id);
            if (version == null) {
                throw new FlussoException("the document builder answered for document '" + id
                        + "', which was not requested or was already answered");
            }
            return version;
        }

        void checkComplete() {
            if (!pending.isEmpty()) {
                throw new FlussoException("the document builder did not answer for " + pending.size()
                        + " requested documents, first '" + pending.keySet().iterator().next() + "'");
            }
        }
    }
}
