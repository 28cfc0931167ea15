package dev.flusso.queue.kafka.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeBatch;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** A worker process in miniature: polls its own queue and acknowledges each batch, recording what it saw. */
final class WorkerLoop implements AutoCloseable {

    final KafkaChangeQueue queue;
    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BatchPolicy policy;
    private final Thread thread;
    private volatile boolean stop;
    private volatile CountDownLatch stall;

    WorkerLoop(String name, KafkaChangeQueue queue, BatchPolicy policy) {
        this.queue = queue;
        this.policy = policy;
        this.thread = new Thread(this::run, name);
    }

    WorkerLoop start() {
        thread.start();
        return this;
    }

    /** Makes the loop stop, after taking its next batch, until released: a sink that stalls mid-flush. */
    CountDownLatch stallNextBatch() {
        CountDownLatch latch = new CountDownLatch(1);
        stall = latch;
        return latch;
    }

    private void run() {
        try {
            while (!stop) {
                ChangeBatch batch = queue.poll(policy, Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                for (Change change : batch.changes()) {
                    seen.add((Long) change.key().get("id"));
                }
                CountDownLatch latch = stall;
                if (latch != null) {
                    latch.await();
                    stall = null;
                }
                queue.acknowledge(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stop) {
                failure.set(e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        CountDownLatch latch = stall;
        if (latch != null) {
            latch.countDown();
        }
        thread.join(30_000);
        queue.close();
    }
}
