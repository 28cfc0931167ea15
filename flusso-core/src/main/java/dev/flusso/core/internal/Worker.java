package dev.flusso.core.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.FlushResult;
import dev.flusso.api.RetriableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The worker thread's loop. It takes what the queue holds as a batch, builds it and starts its flush, and while up to
 * {@link BatchPolicy#maxInFlight()} flushes travel it builds the next; flights are settled (failure policies,
 * checkpoints, acknowledgement) strictly in the order they began, so positions are confirmed as a contiguous prefix.
 * When a flight settles whose batch took every change that was waiting, the sink hears that the engine is caught up.
 * Between batches, with nothing in flight, it runs the sink tasks others handed it. A stop request lets the flights
 * under way finish and takes no other batch.
 */
public final class Worker implements Runnable {

    /** How long one poll waits for a first change before looking for a stop request. */
    private static final Duration POLL_WAIT = Duration.ofMillis(100);
    /** How long a poll waits for a first change while flushes travel, before looking whether one completed. */
    private static final Duration FLIGHT_CHECK = Duration.ofMillis(1);

    private final ChangeQueue queue;
    private final BatchProcessor processor;
    private final BatchPolicy policy;
    private final Consumer<Throwable> onFailure;
    private final Object progress = new Object();
    private final Deque<BatchProcessor.Flight> inFlight = new ArrayDeque<>();
    private volatile boolean stopRequested;
    private long processed;
    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();

    public Worker(ChangeQueue queue, BatchProcessor processor, BatchPolicy policy, Consumer<Throwable> onFailure) {
        this.queue = queue;
        this.processor = processor;
        this.policy = policy;
        this.onFailure = onFailure;
    }

    @Override
    public void run() {
        try {
            while (!stopRequested) {
                if (!tasks.isEmpty()) {
                    settleAll();
                    for (Task task; (task = tasks.poll()) != null; ) {
                        task.run();
                    }
                }
                settleCompleted();
                if (inFlight.size() >= policy.maxInFlight()) {
                    // Every lane is busy: wait for the oldest flight while the queue fills the next batch.
                    Flusher.awaitDone(inFlight.peekFirst().flush());
                    settle();
                    continue;
                }
                ChangeBatch batch = poll();
                if (!batch.isEmpty()) {
                    // A batch that took everything waiting is one the engine keeps up with, however busy the stream.
                    inFlight.addLast(processor.begin(batch, queue.size() == 0));
                }
            }
            settleAll();
        } catch (InterruptedException e) {
            if (!stopRequested) {
                onFailure.accept(e);
            }
        } catch (RuntimeException | Error e) {
            if (!(stopRequested && Thread.currentThread().isInterrupted())) {
                onFailure.accept(e);
            }
        } finally {
            synchronized (progress) {
                stopRequested = true;
                progress.notifyAll();
            }
            tasks.forEach(Task::cancel);
        }
    }

    private ChangeBatch poll() throws InterruptedException {
        try {
            return queue.poll(policy, inFlight.isEmpty() ? POLL_WAIT : FLIGHT_CHECK);
        } catch (RuntimeException e) {
            throw processor.blame().note(e, Blame.QUEUE);
        }
    }

    /** Settles the flights whose flush completed, oldest first, stopping at the first still under way. */
    private void settleCompleted() throws InterruptedException {
        while (!inFlight.isEmpty() && inFlight.peekFirst().flush().isDone()) {
            settle();
        }
    }

    /** Waits for every flight under way, and settles them all. */
    private void settleAll() throws InterruptedException {
        while (!inFlight.isEmpty()) {
            Flusher.awaitDone(inFlight.peekFirst().flush());
            settle();
        }
    }

    /**
     * Settles the oldest flight, whose flush is done. One that failed retriably is flushed again, once every flight
     * under way has landed, together with every other that failed; the flights then settle in order.
     */
    private void settle() throws InterruptedException {
        BatchProcessor.Flight oldest = inFlight.peekFirst();
        FlushResult result;
        try {
            result = processor.outcome(oldest);
        } catch (RetriableException first) {
            retry(first);
            return;
        }
        inFlight.removeFirst();
        processor.settle(oldest, result);
        // Before progress is published: whoever waits on it may use the sink next.
        if (oldest.drainedQueue()) {
            processor.caughtUp();
        }
        counted(oldest.size());
    }

    private void retry(RetriableException first) throws InterruptedException {
        List<BatchProcessor.Flight> failed = new ArrayList<>();
        List<FlushResult> results = new ArrayList<>();
        for (BatchProcessor.Flight flight : inFlight) {
            Flusher.awaitDone(flight.flush());
            try {
                results.add(processor.outcome(flight));
            } catch (RetriableException e) {
                failed.add(flight);
                results.add(null);
            }
        }
        // The retry carries every failed flight's writes, which the sink kept: its refusals are reported once.
        FlushResult retried = processor.retry(failed, first);
        int settled = 0;
        for (int i = 0; i < results.size(); i++) {
            BatchProcessor.Flight flight = inFlight.removeFirst();
            FlushResult result = results.get(i) != null ? results.get(i)
                    : flight == failed.get(0) ? retried : FlushResult.clean();
            processor.settle(flight, result);
            settled += flight.size();
        }
        if (queue.size() == 0) {
            processor.caughtUp();
        }
        counted(settled);
    }

    private void counted(int changes) {
        synchronized (progress) {
            processed += changes;
            progress.notifyAll();
        }
    }

    /**
     * Runs {@code task} on the worker thread between two batches, where the sink is this worker's alone, and waits
     * for it. Any thread.
     *
     * @param halted whether the run has failed meanwhile
     * @return true once the task ran; false if the worker stopped or the run failed first
     * @throws RuntimeException what the task threw
     */
    public boolean runBetweenBatches(Runnable task, BooleanSupplier halted) throws InterruptedException {
        Task queued = new Task(task);
        tasks.add(queued);
        while (true) {
            // Only a task not yet started can be called off; one under way is waited for, so the answer is true.
            if ((stopRequested || halted.getAsBoolean()) && queued.cancel()) {
                return false;
            }
            try {
                queued.done.get(100, TimeUnit.MILLISECONDS);
                return true;
            } catch (CancellationException e) {
                return false;
            } catch (TimeoutException e) {
                // not done yet: look for a stop again
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** A sink call handed to the worker: pending, then either run by the worker or called off, never both. */
    private static final class Task {
        private final Runnable call;
        private final AtomicInteger state = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        Task(Runnable call) {
            this.call = call;
        }

        void run() {
            if (state.compareAndSet(0, 1)) {
                try {
                    call.run();
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            }
        }

        boolean cancel() {
            if (state.compareAndSet(0, 2)) {
                done.cancel(false);
                return true;
            }
            return false;
        }
    }

    /** Finishes the batch in hand, then stops. Any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Waits until the worker has acknowledged {@code count} changes in all.
     *
     * @param count the number of changes handed to the queue so far
     * @param halted whether the run has failed meanwhile
     * @return true once they are acknowledged; false if the worker stopped or the run failed first
     */
    public boolean awaitProcessed(long count, BooleanSupplier halted) throws InterruptedException {
        synchronized (progress) {
            while (processed < count) {
                if (stopRequested || halted.getAsBoolean()) {
                    return false;
                }
                progress.wait(100);
            }
            return true;
        }
    }
}
