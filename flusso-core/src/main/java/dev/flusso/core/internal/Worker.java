package dev.flusso.core.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.ChangeQueue;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private final Queue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();

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
                for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
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
            tasks.forEach(task -> task.cancel(false));
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
        FutureTask<Void> future = new FutureTask<>(task, null);
        tasks.add(future);
        while (true) {
            if (stopRequested || halted.getAsBoolean()) {
                future.cancel(false);
            }
            try {
                future.get(100, TimeUnit.MILLISECONDS);
                return true;
            } catch (CancellationException e) {
                return false;
            } catch (TimeoutException e) {
                // not run yet: look for a stop again
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
