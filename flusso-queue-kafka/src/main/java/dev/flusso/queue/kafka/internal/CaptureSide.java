package dev.flusso.queue.kafka.internal;

import dev.flusso.api.Change;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Position;
import dev.flusso.api.PositionConfirmer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The capture side: sends each change to the topic and confirms a source position once the broker has
 * acknowledged it and every change before it. At most {@code capacity} changes are sent and not yet acknowledged:
 * beyond that, the capture waits (back-pressure), so capture's memory is bounded by the capacity, not by how far the
 * workers lag. One failed send fails every later hand-over, and so the run: nothing after it is ever confirmed, and
 * the next run captures again from the last confirmed position.
 *
 * <p>The capture thread never calls the producer itself: {@code send} blocks while the broker is unreachable (for
 * metadata, up to {@code max.block.ms}), and a capture that must keep serving its source in between (a replication
 * connection's status updates) may only wait as long as its {@code offer} timeout. One sender thread sends the
 * changes in hand-over order instead.
 */
final class CaptureSide {

    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final KafkaSettings settings;
    private final PositionConfirmer confirmer;
    private final Semaphore room;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final Map<TopicPartition, Long> written = new HashMap<>();
    private final BlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();
    private Producer<byte[], byte[]> producer;
    private Thread sender;
    private volatile RuntimeException failure;
    private volatile boolean closed;

    CaptureSide(KafkaSettings settings, PositionConfirmer confirmer) {
        this.settings = settings;
        this.confirmer = confirmer;
        this.room = new Semaphore(settings.capacity());
    }

    /** Capture thread only. */
    boolean offer(Change change, Duration timeout) throws InterruptedException {
        byte[] key = ChangeCodec.key(change);
        byte[] value = ChangeCodec.encode(change);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ensureUsable();
            long left = deadline - System.nanoTime();
            if (room.tryAcquire(Math.max(0, Math.min(left, CLOSE_CHECK_NANOS)), TimeUnit.NANOSECONDS)) {
                break;
            }
            if (left <= CLOSE_CHECK_NANOS) {
                return false;
            }
        }
        InFlight sent = new InFlight(change.isSnapshot() ? null : change.position());
        synchronized (this) {
            startSender();
            inFlight.addLast(sent);
        }
        outgoing.add(new Outgoing(new ProducerRecord<>(settings.topic(), key, value), sent));
        return true;
    }

    private void startSender() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producerProperties());
            Producer<byte[], byte[]> ours = producer;
            sender = new Thread(() -> send(ours), "flusso-kafka-sender");
            sender.setDaemon(true);
            sender.start();
        }
    }

    /** The sender thread: hands each change to the producer, in order, until closed. */
    private void send(Producer<byte[], byte[]> to) {
        try {
            while (!closed) {
                Outgoing next = outgoing.poll(100, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                try {
                    to.send(next.record, (metadata, error) -> completed(next.sent, metadata, error));
                } catch (KafkaException | IllegalStateException e) {
                    completed(next.sent, null, e);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** Producer I/O thread: the broker answered. */
    private void completed(InFlight sent, RecordMetadata metadata, Exception error) {
        if (!sent.finish()) {
            return;
        }
        room.release();
        if (error != null) {
            if (failure == null) {
                // Not retriable: a capture retries those in place, and would meet this same failure forever. The run
                // ends with the queue's exit code; the next run captures again from the last confirmed position.
                failure = new FlussoException("Kafka at " + settings.bootstrapServers() + " did not take a change for topic '"
                        + settings.topic() + "' within the producer's delivery timeout: " + error.getMessage()
                        + "; nothing after the last confirmed position is confirmed, and the next run captures again from"
                        + " there", error);
            }
            return;
        }
        synchronized (this) {
            written.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset(), Math::max);
            sent.acknowledged = true;
            Position confirm = null;
            while (!inFlight.isEmpty() && inFlight.peekFirst().acknowledged) {
                InFlight done = inFlight.removeFirst();
                if (done.position != null) {
                    confirm = done.position;
                }
            }
            if (confirm != null) {
                // Under the lock: positions reach the capture in stream order.
                confirmer.confirm(confirm);
            }
        }
    }

    /** Waits until the broker acknowledged every change handed over so far. Any thread. */
    void flush() throws InterruptedException {
        while (true) {
            ensureUsable();
            synchronized (this) {
                if (inFlight.isEmpty()) {
                    return;
                }
            }
            Thread.sleep(5);
        }
    }

    /** {@return the highest offset written to each partition so far, acknowledged by the broker} */
    synchronized Map<TopicPartition, Long> written() {
        return Map.copyOf(written);
    }

    /** {@return how many changes are sent and not yet acknowledged} */
    int inFlight() {
        return settings.capacity() - room.availablePermits();
    }

    void close() {
        closed = true;
        Producer<byte[], byte[]> current;
        Thread thread;
        synchronized (this) {
            current = producer;
            thread = sender;
        }
        if (thread != null) {
            try {
                thread.join(settings.closeTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (current != null) {
            // Sends already made may still complete, and confirm: the broker then holds them.
            current.close(settings.closeTimeout());
        }
    }

    private void ensureUsable() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
        if (closed) {
            throw new FlussoException("the change queue is closed");
        }
    }

    private record Outgoing(ProducerRecord<byte[], byte[]> record, InFlight sent) {
    }

    private static final class InFlight {
        private final Position position;
        private boolean acknowledged;
        private boolean finished;

        InFlight(Position position) {
            this.position = position;
        }

        /** {@return whether this is the first answer for the change} A failed send may answer twice. */
        synchronized boolean finish() {
            boolean first = !finished;
            finished = true;
            return first;
        }
    }
}
