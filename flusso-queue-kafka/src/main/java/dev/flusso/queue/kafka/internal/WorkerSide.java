package dev.flusso.queue.kafka.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.FlussoException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side: one consumer of the group. A batch's offsets are committed when the batch is acknowledged, after
 * its flush, and only as a contiguous prefix of this member's batches; whatever is not committed when a member goes
 * away is delivered again to whichever member takes its partitions. An unreadable record is sent to the dead-letter
 * topic, logged with its topic, partition and offset, and counted as done, so it never stops the group.
 */
final class WorkerSide implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSide.class);
    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final KafkaSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();
    private final List<Taken> gathering = new ArrayList<>();
    private final Deque<Batch> unacknowledged = new ArrayDeque<>();
    private Consumer<byte[], byte[]> consumer;
    private Producer<byte[], byte[]> deadLetters;
    private long nextSequence;
    private volatile boolean closed;

    WorkerSide(KafkaSettings settings) {
        this.settings = settings;
    }

    /** Worker thread only. */
    ChangeBatch poll(BatchPolicy policy, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            ensureOpen();
            if (consumer == null) {
                consumer = new KafkaConsumer<>(settings.consumerProperties());
                consumer.subscribe(List.of(settings.topic()), this);
            }
            return gather(policy, System.nanoTime() + wait.toNanos());
        } catch (WakeupException e) {
            ensureOpen();
            throw e;
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            InterruptedException interrupted = new InterruptedException("the worker was interrupted while polling Kafka");
            interrupted.initCause(e);
            throw interrupted;
        } finally {
            gathering.clear();
            lock.unlock();
        }
    }

    private ChangeBatch gather(BatchPolicy policy, long firstDeadline) throws InterruptedException {
        if (!fetched.isEmpty()) {
            // Let the group protocol run first: records fetched before this member lost its partitions (evicted
            // after a long stall) must be dropped, not handed out again.
            consumer.poll(Duration.ZERO).forEach(fetched::addLast);
        }
        long deadline = firstDeadline;
        int changes = 0;
        while (changes < policy.maxChanges()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("the worker is stopping");
            }
            ConsumerRecord<byte[], byte[]> record = fetched.pollFirst();
            if (record == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                ensureOpen();
                for (ConsumerRecord<byte[], byte[]> next : consumer.poll(Duration.ofNanos(Math.min(left, CLOSE_CHECK_NANOS)))) {
                    fetched.addLast(next);
                }
                continue;
            }
            Taken taken = take(record);
            if (gathering.isEmpty()) {
                // The batch's clock starts with its first record.
                deadline = System.nanoTime() + policy.maxDelay().toNanos();
            }
            gathering.add(taken);
            if (taken.change != null) {
                changes++;
            }
        }
        if (gathering.isEmpty()) {
            return Batch.EMPTY;
        }
        Batch batch = register(List.copyOf(gathering));
        if (batch.changes.isEmpty()) {
            // Only dead-lettered records: nobody will acknowledge an empty batch, so it counts as done now.
            acknowledge(batch);
        }
        return batch;
    }

    private Taken take(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        KafkaPosition at = new KafkaPosition(record.topic(), record.partition(), record.offset());
        try {
            return new Taken(partition, record.offset(), ChangeCodec.decode(record.value(), at));
        } catch (UnreadableRecordException e) {
            deadLetter(record, at, e.getMessage());
            return new Taken(partition, record.offset(), null);
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, KafkaPosition at, String reason) {
        String message = "unreadable change record at " + at + ": " + reason;
        LOG.error("{}; sent to dead-letter topic '{}'", message, settings.deadLetterTopic());
        if (deadLetters == null) {
            deadLetters = new KafkaProducer<>(settings.deadLetterProperties());
        }
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(settings.deadLetterTopic(), record.key(), record.value());
        letter.headers().add("flusso.error", message.getBytes(StandardCharsets.UTF_8));
        letter.headers().add("flusso.topic", record.topic().getBytes(StandardCharsets.UTF_8));
        letter.headers().add("flusso.partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        letter.headers().add("flusso.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            // Only once the dead-letter topic holds it may its offset be committed.
            deadLetters.send(letter).get(settings.closeTimeout().toMillis() * 6, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new FlussoException(message + "; and it could not be sent to dead-letter topic '"
                    + settings.deadLetterTopic() + "' either: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlussoException(message + "; interrupted while sending it to the dead-letter topic", e);
        }
    }

    private Batch register(List<Taken> taken) {
        List<Change> changes = new ArrayList<>(taken.size());
        Map<TopicPartition, Long> next = new HashMap<>();
        for (Taken t : taken) {
            if (t.change != null) {
                changes.add(t.change);
            }
            next.merge(t.partition, t.offset + 1, Math::max);
        }
        Batch batch = new Batch(nextSequence++, List.copyOf(changes), next);
        unacknowledged.addLast(batch);
        return batch;
    }

    /** Worker thread only, after the batch's flush. */
    void acknowledge(ChangeBatch batch) {
        if (!(batch instanceof Batch ours) || ours == Batch.EMPTY) {
            if (batch.isEmpty()) {
                return;
            }
            throw new IllegalArgumentException("batch was not taken from this queue: " + batch);
        }
        lock.lock();
        try {
            if (!unacknowledged.contains(ours)) {
                throw new IllegalStateException(ours + " is acknowledged twice");
            }
            ours.acknowledged = true;
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().acknowledged) {
                unacknowledged.removeFirst().next.forEach((partition, offset) ->
                        commit.merge(partition, new OffsetAndMetadata(offset), (a, b) -> a.offset() >= b.offset() ? a : b));
            }
            commit(commit);
        } finally {
            lock.unlock();
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty() || consumer == null) {
            return;
        }
        Set<TopicPartition> owned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> ours = new HashMap<>(offsets);
        ours.keySet().retainAll(owned);
        if (ours.size() < offsets.size()) {
            LOG.info("partitions {} moved to another worker before their batch was flushed: it redelivers them "
                    + "(duplicates only)", offsets.keySet().stream().filter(p -> !owned.contains(p)).toList());
        }
        if (ours.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(ours);
        } catch (WakeupException e) {
            LOG.warn("offsets {} not committed: the queue is closing; their changes are flushed and will be delivered "
                    + "again (duplicates only)", ours);
        } catch (KafkaException e) {
            // The documents are durable: failing the run would only redeliver what a later commit covers anyway.
            LOG.warn("offsets {} not committed ({}); their changes are flushed and may be delivered again (duplicates only)",
                    ours, e.toString());
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        LOG.debug("assigned {}", partitions);
    }

    /** Called inside {@code consumer.poll}: records of partitions this member no longer owns are another's now. */
    private void forget(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        fetched.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        gathering.removeIf(t -> partitions.contains(t.partition));
    }

    /** {@return how many records this member fetched and has not handed out yet} */
    int fetched() {
        return fetched.size();
    }

    /** Any thread: a waiting poll returns promptly, then the consumer leaves the group. */
    void close() {
        closed = true;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            if (lock.tryLock(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    if (consumer != null) {
                        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(settings.closeTimeout()));
                        consumer = null;
                    }
                    if (deadLetters != null) {
                        deadLetters.close(settings.closeTimeout());
                        deadLetters = null;
                    }
                } finally {
                    lock.unlock();
                }
            } else {
                LOG.warn("the worker did not release the Kafka consumer within {}; it leaves the group when the session times out",
                        settings.closeTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new FlussoException("the change queue is closed");
        }
    }

    /** A record taken from the topic: its change, or null when it went to the dead-letter topic. */
    private record Taken(TopicPartition partition, long offset, Change change) {
    }

    /** A batch, with the offset after its last record on each partition. */
    static final class Batch implements ChangeBatch {
        static final Batch EMPTY = new Batch(-1, List.of(), Map.of());

        private final long sequence;
        private final List<Change> changes;
        private final Map<TopicPartition, Long> next;
        private boolean acknowledged;

        Batch(long sequence, List<Change> changes, Map<TopicPartition, Long> next) {
            this.sequence = sequence;
            this.changes = changes;
            this.next = next;
        }

        @Override
        public List<Change> changes() {
            return changes;
        }

        @Override
        public String toString() {
            return "batch " + sequence + " of " + changes.size() + " changes";
        }
    }
}
