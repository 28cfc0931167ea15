package dev.flusso.queue.kafka.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.FlussoException;
import dev.flusso.api.PositionConfirmer;
import dev.flusso.api.RetriableException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code kafka} queue. Its two halves are made on first use, so one class serves every process role: a capture
 * process only hands changes over ({@link #put}, {@link #offer}) and never joins the consumer group; a worker process
 * only polls and acknowledges and never makes a producer; a process with both roles does both.
 *
 * <ul>
 *   <li>Capture side: a change is sent to the topic by an idempotent producer with {@code acks=all}; the source
 *       position of a change is confirmed once the broker has acknowledged it and every change before it.
 *       {@link #capacity()} bounds the changes sent and not yet acknowledged: beyond it, the capture waits.
 *   <li>Worker side: one member of the consumer group. {@link #acknowledge} commits the batch's offsets, after its
 *       flush; what a member took and did not acknowledge is delivered again to the member that takes its partitions.
 * </ul>
 */
public final class KafkaChangeQueue implements ChangeQueue {

    private final KafkaSettings settings;
    private final WorkerSide worker;
    private volatile CaptureSide capture;
    private volatile boolean closed;

    public KafkaChangeQueue(KafkaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.worker = new WorkerSide(settings);
    }

    /** Creates the topics when missing. */
    @Override
    public void open(PositionConfirmer confirmer) {
        Objects.requireNonNull(confirmer, "confirmer");
        if (capture != null) {
            throw new IllegalStateException("the kafka queue is opened twice");
        }
        try (Admin admin = Admin.create(settings.adminProperties())) {
            Topics.ensure(admin, settings);
        }
        capture = new CaptureSide(settings, confirmer);
    }

    @Override
    public void put(Change change) throws InterruptedException {
        while (!offer(change, Duration.ofMillis(100))) {
            // full: the broker has not acknowledged enough yet; keep waiting, looking for close in between
        }
    }

    @Override
    public boolean offer(Change change, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(change, "change");
        return opened().offer(change, timeout);
    }

    @Override
    public ChangeBatch poll(BatchPolicy policy, Duration wait) throws InterruptedException {
        opened();
        return worker.poll(policy, wait);
    }

    @Override
    public void acknowledge(ChangeBatch batch) {
        worker.acknowledge(batch);
    }

    /** {@return the changes the capture side may have sent and not yet seen acknowledged by the broker} */
    @Override
    public int capacity() {
        return settings.capacity();
    }

    /**
     * {@return the changes this process holds for the queue: sent and not yet acknowledged by the broker, plus
     * fetched by this worker and not yet handed out} The group's lag lives in the broker, not here.
     */
    @Override
    public int size() {
        CaptureSide side = capture;
        return (side == null ? 0 : side.inFlight()) + worker.fetched();
    }

    /**
     * Waits until every change handed to this queue so far is acknowledged by the broker and then by a worker of the
     * group, in this process or another: the group's committed offsets reach what this process wrote. What a capture
     * process needs before it records a backfilled index as seeded. Any thread.
     *
     * @param timeout how long to wait at most
     * @return whether the workers caught up in time
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public boolean awaitAcknowledged(Duration timeout) throws InterruptedException {
        return awaitConsumed(timeout);
    }

    public boolean awaitConsumed(Duration timeout) throws InterruptedException {
        CaptureSide side = opened();
        side.flush();
        Map<TopicPartition, Long> written = side.written();
        if (written.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(settings.adminProperties())) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(settings.groupId())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                if (written.entrySet().stream().allMatch(w -> {
                    OffsetAndMetadata at = committed.get(w.getKey());
                    return at != null && at.offset() > w.getValue();
                })) {
                    return true;
                }
                if (System.nanoTime() > deadline || closed) {
                    return false;
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new RetriableException("cannot read the offsets of consumer group '" + settings.groupId() + "' from Kafka at "
                    + settings.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the broker acknowledged every change handed over so far, confirming them. Any thread.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void flush() throws InterruptedException {
        opened().flush();
    }

    @Override
    public void close() {
        closed = true;
        CaptureSide side = capture;
        if (side != null) {
            side.close();
        }
        worker.close();
    }

    private CaptureSide opened() {
        if (closed) {
            throw new FlussoException("the change queue is closed");
        }
        CaptureSide side = capture;
        if (side == null) {
            throw new IllegalStateException("the kafka queue is used before open");
        }
        return side;
    }
}
