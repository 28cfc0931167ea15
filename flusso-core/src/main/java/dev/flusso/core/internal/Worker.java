package dev.flusso.core.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.ChangeQueue;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The worker thread's loop: take a batch, process it to acknowledgement, count it. A stop request lets the batch
 * in hand finish and takes no other.
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
