package dev.flusso.core.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.ChangeQueue;
import java.time.Duration;
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
 * The worker thread's loop: take a batch, process it to acknowledgement, count it; between batches, run the sink
 * tasks others handed it. A stop request lets the batch in hand finish and takes no other.
 */
public final class Worker implements Runnable {

    /** How long one poll waits for a first change before looking for a stop request. */
    private static final Duration POLL_WAIT = Duration.ofMillis(100);

    private final ChangeQueue queue;
    private final BatchProcessor processor;
    private final BatchPolicy policy;
    private final Consumer<Throwable> onFailure;
    private final Object progress = new Object();
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
                for (Task task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                ChangeBatch batch = queue.poll(policy, POLL_WAIT);
                if (batch.isEmpty()) {
                    continue;
                }
                processor.process(batch);
                synchronized (progress) {
                    processed += batch.changes().size();
                    progress.notifyAll();
                }
            }
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
