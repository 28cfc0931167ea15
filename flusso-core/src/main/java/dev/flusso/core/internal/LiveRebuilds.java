package dev.flusso.core.internal;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.Sink;
import dev.flusso.api.SnapshotRequest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds asked of a live run, one at a time, on a thread of their own while the stream goes on: between two
 * batches the sink starts the rebuild, the capture snapshots the index's root table beside its stream, and once every
 * row handed over so far is flushed the sink swaps the new contents in. A rebuild that does not complete is left
 * unfinished, for the caller to ask of the next run.
 */
public final class LiveRebuilds {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRebuilds.class);

    /** What a rebuild needs of the run it is part of. */
    public interface Run {
        /** {@return whether the run is stopping or has failed} */
        boolean ending();

        /** {@return whether every change handed over so far is flushed and acknowledged; false when the run ends} */
        boolean awaitHandled() throws InterruptedException;

        /** Runs a sink call on the worker, between two batches; {@return false when the run ended first} */
        boolean onSinkThread(Runnable call) throws InterruptedException;

        /** Runs a snapshot of the capture, as the run runs its capture calls. */
        void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException;

        /** Ends the run with a failure. */
        void fail(Throwable cause);
    }

    private final ChangeCapture capture;
    private final DocumentBuilder builder;
    private final Sink sink;
    private final Observer observer;
    private final ChangeEmitter emitter;
    private final Blame blame;
    private final BlockingQueue<String> asked = new LinkedBlockingQueue<>();
    private final Set<String> unfinished = new LinkedHashSet<>();
    private volatile boolean streamOver;

    public LiveRebuilds(ChangeCapture capture, DocumentBuilder builder, Sink sink, Observer observer, ChangeEmitter emitter,
            Blame blame) {
        this.blame = blame;
        this.capture = capture;
        this.builder = builder;
        this.sink = sink;
        this.observer = observer;
        this.emitter = emitter;
    }

    /** Asks for a rebuild of the index, after those asked before. Any thread. */
    public void ask(String index) {
        synchronized (unfinished) {
            unfinished.add(index);
        }
        asked.add(index);
    }

    /** {@return the rebuilds asked that did not complete} */
    public Set<String> unfinished() {
        synchronized (unfinished) {
            return Set.copyOf(unfinished);
        }
    }

    /** {@return the thread that runs the rebuilds asked until the stream ends, started} */
    public Thread start(Run run) {
        Thread thread = new Thread(() -> loop(run), "flusso-rebuild");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The stream has ended: a failure of a rebuild from now on is the end's, not the run's. */
    public void streamOver() {
        streamOver = true;
    }

    private void loop(Run run) {
        try {
            while (!run.ending()) {
                String name = asked.poll(100, TimeUnit.MILLISECONDS);
                if (name != null) {
                    IndexDefinition index = blame.get(Blame.BUILDER, builder::indexes).stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
                    rebuild(index, run);
                }
            }
        } catch (InterruptedException e) {
            // the stream ended: an unfinished rebuild resumes on the next start, from its checkpoint
        } catch (RuntimeException | Error e) {
            if (!run.ending() && !streamOver) {
                run.fail(e);
            }
        }
    }

    private void rebuild(IndexDefinition index, Run run) throws InterruptedException {
        String name = index.name();
        LOG.info("rebuilding index '{}' from a full backfill, as asked, while live changes flow", name);
        if (!run.onSinkThread(() -> blame.run(Blame.SINK, () -> sink.markUnseeded(name)))) {
            return;
        }
        SnapshotRequest request = SnapshotRequest.of(index, Optional.empty());
        OptionalLong estimate = blame.get(Blame.CAPTURE, () -> capture.estimateRows(request));
        observer.backfillStarted(name, estimate, false);
        CountingEmitter counted = new CountingEmitter(emitter);
        run.snapshot(request, counted);
        // Live changes keep arriving: waiting for everything handed over so far covers the snapshot's last row.
        if (run.ending() || !run.awaitHandled() || !run.onSinkThread(() -> blame.run(Blame.SINK, () -> sink.markSeeded(name)))) {
            return;
        }
        synchronized (unfinished) {
            unfinished.remove(name);
        }
        observer.backfillCompleted(name, counted.emitted());
        LOG.info("index '{}' rebuilt: {} rows", name, counted.emitted());
    }
}
