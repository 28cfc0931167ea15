package dev.flusso.core;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.Sink;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.core.internal.BatchProcessor;
import dev.flusso.core.internal.Blame;
import dev.flusso.core.internal.ChannelQueue;
import dev.flusso.core.internal.ChannelQueueProvider;
import dev.flusso.core.internal.CountingEmitter;
import dev.flusso.core.internal.LiveRebuilds;
import dev.flusso.core.internal.Sleeper;
import dev.flusso.core.internal.StartChecks;
import dev.flusso.core.internal.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives changes from a capture through a queue, a builder and a sink, confirming them once they are durable.
 *
 * <p>{@link #run()} goes through three phases, in this order:
 * <ol>
 *   <li>Mapping first: every index the builder lists is ensured in the sink, on every start.
 *   <li>Backfill: every index the sink says is not seeded is snapshotted through the same queue, resolve, build and
 *       sink path, scoped to that index, resuming from the sink's checkpoint; then it is recorded as seeded.
 *   <li>Live: the capture streams changes into the bounded queue; a worker takes them in batches, resolves,
 *       dedups, builds, writes, flushes, handles rejections, and only then acknowledges the batch to the queue,
 *       which confirms the source positions.
 * </ol>
 * The engine owns its edges: it closes all four when {@code run} returns.
 *
 * <pre>{@code
 * Engine engine = Engine.builder().capture(capture).documentBuilder(builder).sink(sink).build();
 * Runtime.getRuntime().addShutdownHook(new Thread(engine::stop));
 * engine.run();
 * }</pre>
 */
public final class Engine {

    /** How long the end of the stream waits for a rebuild under way to notice it. */
    private static final Duration REBUILD_JOIN = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final ChangeCapture capture;
    private final ChangeQueue queue;
    private final DocumentBuilder builder;
    private final Sink sink;
    private final BatchPolicy batchPolicy;
    private final FailurePolicies failurePolicies;
    private final Observer observer;
    private final boolean backfill;
    private final Set<String> rebuild;
    private final Role role;
    private final Duration stopGrace;
    private final Sleeper sleeper;
    private final CountingEmitter emitter;
    /**
     * Capture and worker share this process over the in-process queue: this worker is the only one, and what it
     * flushes is what the source is told. Only then can a live rebuild wait for its snapshot's last row, and a sink that
     * recorded less than the source was told have lost writes.
     */
    private final boolean inProcess;

    private final Blame blame = new Blame();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile Worker worker;
    private final LiveRebuilds liveRebuilds;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    private Engine(Builder b) {
        this.role = b.role;
        this.capture = b.role == Role.WORKER && b.capture == null ? new NoCapture() : Objects.requireNonNull(b.capture, "capture");
        this.builder = Objects.requireNonNull(b.documentBuilder, "documentBuilder");
        this.sink = Objects.requireNonNull(b.sink, "sink");
        this.queue = b.queue != null ? b.queue : new ChannelQueue(ChannelQueueProvider.DEFAULT_CAPACITY);
        this.batchPolicy = b.batchPolicy;
        this.failurePolicies = b.failurePolicies;
        this.observer = b.observer;
        this.backfill = b.backfill;
        this.rebuild = Set.copyOf(b.rebuild);
        this.stopGrace = b.stopGrace;
        this.sleeper = b.sleeper;
        this.emitter = new CountingEmitter(queue, blame);
        this.inProcess = role == Role.ALL && !queue.isDurable();
        this.liveRebuilds = new LiveRebuilds(capture, builder, sink, observer, emitter, blame);
    }

    /** What one process of a deployment does; capture and workers apart need a durable queue. */
    public enum Role {
        /** Capture and workers in one process: the usual way. */
        ALL,
        /** Only the capture, with backfill: changes go to the queue, workers elsewhere write them. */
        CAPTURE,
        /** Only a worker: batches from the queue are resolved, built and written; no source is captured here. */
        WORKER;

        /** {@return whether this process reads the source: backfill, then the live stream} */
        public boolean captures() {
            return this != WORKER;
        }

        /** {@return whether this process runs a worker: batches from the queue to the sink} */
        public boolean works() {
            return this != CAPTURE;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs until {@link #stop()} is called, the capture's stream ends (then the queue is drained first), or a
     * failure. Call once.
     *
     * @throws FlussoException the first failure; whatever was not flushed is left unconfirmed for the next run
     */
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an engine runs once; build a new one to run again");
        }
        try {
            StartChecks checks = new StartChecks(capture, builder, sink, failurePolicies, observer, blame, sleeper,
                    () -> stopping);
            List<IndexDefinition> indexes = checks.ensureMappings();
            blame.run(Blame.QUEUE, () -> queue.open(upTo -> {
                if (!role.captures()) {
                    throw new IllegalStateException("a worker-only process has no source to confirm " + upTo + " to");
                }
                if (!(upTo instanceof SnapshotPosition)) {
                    blame.run(Blame.CAPTURE, () -> capture.confirm(upTo));
                }
            }));
            if (role.captures()) {
                checks.markRebuilds(indexes, inProcess, rebuild, backfill);
                blame.run(Blame.CAPTURE, capture::open);
            }
            Thread workerThread = null;
            if (role.works()) {
                Set<String> names = indexes.stream().map(IndexDefinition::name).collect(Collectors.toUnmodifiableSet());
                BatchProcessor processor = new BatchProcessor(builder, sink, queue, failurePolicies, observer, names, sleeper, blame);
                worker = new Worker(queue, processor, batchPolicy, this::fail);
                workerThread = new Thread(worker, "flusso-worker");
                workerThread.start();
            }
            try {
                if (!role.captures()) {
                    LOG.info("working batches from the queue until stopped");
                    observer.liveStarted();
                    stopped.await();
                } else {
                    if (backfill) {
                        backfill(indexes);
                    }
                    live();
                }
            } finally {
                if (workerThread != null) {
                    stopWorker(workerThread);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new FlussoException("interrupted", e));
        } catch (StartChecks.Stopped e) {
            LOG.info("{}: nothing was started", e.getMessage());
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            closeEdges();
        }
        Throwable cause = failure.get();
        if (cause != null) {
            observer.failed(cause);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new FlussoException(cause.getMessage(), cause);
        }
    }

    /**
     * {@return which edge threw the failure that ended the run: {@code capture}, {@code queue}, {@code builder} or
     * {@code sink}; empty when the run did not fail, or failed in the engine itself}
     */
    public Optional<String> failedEdge() {
        Throwable cause = failure.get();
        return cause == null ? Optional.empty() : blame.edgeOf(cause);
    }

    /**
     * Asks a running engine to stop cleanly: the capture is closed, the batch in hand is finished (or abandoned
     * after the stop grace period), and nothing unflushed is confirmed. Returns at once; {@link #run()} returns when
     * the stop is complete. Any thread; idempotent.
     */
    public void stop() {
        if (!stopping) {
            stopping = true;
            LOG.info("stopping");
            emitter.halt();
            capture.close();
            stopped.countDown();
        }
    }

    /**
     * {@return whether this process can rebuild an index without pausing live changes} It needs both roles in one
     * process over the in-process queue, whose worker tells when the snapshot's last row is flushed, and a capture
     * that {@linkplain ChangeCapture#snapshotsWhileStreaming() snapshots while it streams}. Otherwise a rebuild is a
     * restart with {@link Builder#rebuild}: with a durable queue the workers may be other processes, which a swap
     * could not wait for while live changes keep coming.
     */
    public boolean canRebuildLive() {
        return inProcess && capture.snapshotsWhileStreaming();
    }

    /**
     * {@return the live rebuilds asked of this run that did not complete} A caller that starts the run again (after
     * a {@link dev.flusso.api.RestartRequiredException}, say) passes them to {@link Builder#rebuild}.
     */
    public Set<String> unfinishedRebuilds() {
        return liveRebuilds.unfinished();
    }

    /**
     * Asks a running engine to rebuild one index from a full backfill while live changes keep flowing. Between two
     * batches the sink starts the rebuild (the OpenSearch sink creates a new generation and keeps writing the
     * serving one too), the capture snapshots the index's root table beside its stream, and once every snapshot row
     * is flushed the sink swaps the new contents in. Requests run one at a time, in order. A run stopped meanwhile
     * leaves the index unseeded: the next run finishes its backfill before it streams. Any thread; returns at once.
     *
     * @param index the index's name
     * @throws ConfigurationException when the index is unknown, or this process {@linkplain #canRebuildLive cannot}
     */
    public void rebuildLive(String index) {
        if (!canRebuildLive()) {
            throw new ConfigurationException("this process cannot rebuild '" + index + "' while it streams: "
                    + (!inProcess ? "its workers share a durable queue" : "its capture cannot "
                    + "snapshot while it streams") + "; restart the capture process with the rebuild instead");
        }
        Set<String> known = blame.get(Blame.BUILDER, builder::indexes).stream().map(IndexDefinition::name).collect(Collectors.toCollection(TreeSet::new));
        if (!known.contains(index)) {
            throw new ConfigurationException("cannot rebuild index '" + index + "': the deployment's indexes are " + known);
        }
        liveRebuilds.ask(index);
    }

    private void backfill(List<IndexDefinition> indexes) throws InterruptedException {
        for (IndexDefinition index : indexes) {
            if (stopping || failure.get() != null || blame.get(Blame.SINK, () -> sink.isSeeded(index.name()))) {
                continue;
            }
            Optional<String> checkpoint = blame.get(Blame.SINK, () -> sink.backfillCheckpoint(index.name()));
            SnapshotRequest request = SnapshotRequest.of(index, checkpoint);
            OptionalLong estimate = blame.get(Blame.CAPTURE, () -> capture.estimateRows(request));
            LOG.info("backfilling index '{}'{}{}", index.name(), checkpoint.isPresent() ? " (resuming)" : "",
                    estimate.isPresent() ? ", about " + estimate.getAsLong() + " rows" : "");
            observer.backfillStarted(index.name(), estimate, checkpoint.isPresent());
            long before = emitter.emitted();
            capturing(() -> capture.snapshot(request, emitter));
            // The snapshot may have returned because the run is stopping: only a complete, flushed one seeds.
            if (stopping || failure.get() != null || !awaitHandled()) {
                return;
            }
            blame.run(Blame.SINK, () -> sink.markSeeded(index.name()));
            long rows = emitter.emitted() - before;
            observer.backfillCompleted(index.name(), rows);
            LOG.info("index '{}' seeded: {} rows", index.name(), rows);
        }
    }

    private void live() throws InterruptedException {
        if (stopping || failure.get() != null) {
            return;
        }
        observer.liveStarted();
        LOG.info("streaming live changes");
        Thread rebuilds = canRebuildLive() ? liveRebuilds.start(new RebuildsInThisRun()) : null;
        try {
            capturing(() -> capture.stream(emitter));
            if (!stopping && failure.get() == null) {
                // The stream ended on its own: let the workers finish what was captured.
                awaitHandled();
            }
        } finally {
            liveRebuilds.streamOver();
            if (rebuilds != null) {
                // A snapshot blocked in the source ends when the edges close, right after this.
                rebuilds.interrupt();
                rebuilds.join(REBUILD_JOIN.toMillis());
            }
        }
    }

    /** What the live rebuilds need of this run. */
    private final class RebuildsInThisRun implements LiveRebuilds.Run {
        @Override
        public boolean ending() {
            return stopping || halted();
        }

        @Override
        public boolean awaitHandled() throws InterruptedException {
            return Engine.this.awaitHandled();
        }

        @Override
        public boolean onSinkThread(Runnable call) throws InterruptedException {
            // The sink is used by one thread at a time: the worker, between two batches.
            return worker.runBetweenBatches(call, Engine.this::halted);
        }

        @Override
        public void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException {
            capturing(() -> capture.snapshot(request, out));
        }

        @Override
        public void fail(Throwable cause) {
            Engine.this.fail(cause);
        }
    }

    /** Runs a capture call; one that fails because the run is stopping has merely ended. */
    private void capturing(Blame.Waiting call) throws InterruptedException {
        try {
            blame.waiting(Blame.CAPTURE, call);
        } catch (RuntimeException e) {
            if (!stopping) {
                throw e;
            }
            LOG.debug("capture ended while stopping: {}", e.toString());
        }
    }


    /** {@return whether every change handed over so far was flushed and acknowledged; false when the run halts} */
    private boolean awaitHandled() throws InterruptedException {
        // A durable queue's records may go to workers in other processes, and this process's worker may count records
        // redelivered from an earlier run: only the queue knows what was acknowledged.
        if (inProcess) {
            return worker.awaitProcessed(emitter.emitted(), this::halted);
        }
        while (!halted() && !stopping) {
            if (awaitAcknowledged()) {
                return true;
            }
        }
        return false;
    }

    private boolean awaitAcknowledged() throws InterruptedException {
        try {
            return queue.awaitAcknowledged(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            throw blame.note(e, Blame.QUEUE);
        }
    }

    private boolean halted() {
        return failure.get() != null;
    }

    private void stopWorker(Thread workerThread) throws InterruptedException {
        worker.requestStop();
        workerThread.join(stopGrace.toMillis());
        if (workerThread.isAlive()) {
            LOG.warn("abandoning the batch in hand after {} ms; it stays unconfirmed", stopGrace.toMillis());
            workerThread.interrupt();
            workerThread.join();
        }
    }

    private void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            if (!stopping) {
                LOG.error("run failed: {}", cause.getMessage());
            }
            emitter.halt();
            capture.close();
            stopped.countDown();
        }
    }

    private void closeEdges() {
        for (AutoCloseable edge : List.<AutoCloseable>of(capture, queue, builder, sink)) {
            try {
                edge.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", edge.getClass().getName(), e.toString());
            }
        }
    }

    /** Configures an {@link Engine}. Capture, document builder and sink are required. */
    public static final class Builder {
        private ChangeCapture capture;
        private ChangeQueue queue;
        private DocumentBuilder documentBuilder;
        private Sink sink;
        private BatchPolicy batchPolicy = BatchPolicy.DEFAULT;
        private FailurePolicies failurePolicies = FailurePolicies.DEFAULT;
        private Observer observer = Observer.NONE;
        private boolean backfill = true;
        private Set<String> rebuild = Set.of();
        private Role role = Role.ALL;
        private Duration stopGrace = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {
        }

        public Builder capture(ChangeCapture capture) {
            this.capture = capture;
            return this;
        }

        /** The queue; the in-process channel of default capacity when not set. */
        public Builder queue(ChangeQueue queue) {
            this.queue = queue;
            return this;
        }

        public Builder documentBuilder(DocumentBuilder documentBuilder) {
            this.documentBuilder = documentBuilder;
            return this;
        }

        public Builder sink(Sink sink) {
            this.sink = sink;
            return this;
        }

        public Builder batchPolicy(BatchPolicy batchPolicy) {
            this.batchPolicy = Objects.requireNonNull(batchPolicy, "batchPolicy");
            return this;
        }

        public Builder failurePolicies(FailurePolicies failurePolicies) {
            this.failurePolicies = Objects.requireNonNull(failurePolicies, "failurePolicies");
            return this;
        }

        public Builder observer(Observer observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Whether to backfill unseeded indexes before live capture; true unless told otherwise. */
        public Builder backfill(boolean backfill) {
            this.backfill = backfill;
            return this;
        }

        /**
         * Indexes to rebuild in this run: each is marked unseeded in the sink first (which may build the new contents
         * beside the old, as the OpenSearch sink's generations do), then backfilled like a new one. Needs backfill.
         */
        public Builder rebuild(java.util.Collection<String> indexes) {
            this.rebuild = Set.copyOf(indexes);
            return this;
        }

        /**
         * What this process does; {@link Role#ALL} unless told otherwise. {@link Role#WORKER} needs no capture;
         * the roles apart need a {@linkplain ChangeQueue#isDurable() durable} queue.
         */
        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** How long a stop waits for the batch in hand before abandoning it; 30 s by default. */
        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public Engine build() {
            if (role != Role.ALL && (queue == null || !queue.isDurable())) {
                throw new ConfigurationException("the " + role.name().toLowerCase(java.util.Locale.ROOT) + " role needs a"
                        + " durable queue shared by the processes, such as [queue] type = \"kafka\"; this one lives in one process");
            }
            if (role == Role.WORKER && !rebuild.isEmpty()) {
                throw new ConfigurationException("rebuilding " + rebuild + " is the capture process's job, not a worker's");
            }
            if (!backfill && !rebuild.isEmpty()) {
                throw new ConfigurationException("rebuilding " + rebuild + " needs a backfill, which this run skips");
            }
            return new Engine(this);
        }
    }

    /** A worker-only process captures nothing; the engine never calls these but to close. */
    private static final class NoCapture implements ChangeCapture {
        @Override
        public void snapshot(SnapshotRequest request, ChangeEmitter out) {
            throw new IllegalStateException("a worker-only process does not snapshot");
        }

        @Override
        public void stream(ChangeEmitter out) {
            throw new IllegalStateException("a worker-only process does not capture");
        }

        @Override
        public void confirm(dev.flusso.api.Position upTo) {
            throw new IllegalStateException("a worker-only process has no source to confirm to");
        }
    }
}
