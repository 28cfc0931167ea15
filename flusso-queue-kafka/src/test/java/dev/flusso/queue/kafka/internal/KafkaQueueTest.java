package dev.flusso.queue.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.Position;
import dev.flusso.queue.kafka.internal.TestKafka.Seq;
import dev.flusso.testing.process.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The queue against a real broker: one capture side, and workers of one group in this JVM. */
class KafkaQueueTest {

    private static final BatchPolicy POLICY = new BatchPolicy(100, Duration.ofMillis(20));
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void confirmsLivePositionsInStreamOrderOnceTheBrokerHoldsThem() throws Exception {
        List<Position> confirmed = new CopyOnWriteArrayList<>();
        String topic = TestKafka.fresh("confirm");
        try (KafkaChangeQueue queue = TestKafka.queue(TestKafka.values(topic, 3))) {
            queue.open(confirmed::add);
            for (long n = 0; n < 2_000; n++) {
                queue.put(n % 100 == 50 ? TestKafka.snapshot(n) : TestKafka.live(n));
            }
            queue.flush();
            assertEquals(new Seq(1_999), confirmed.get(confirmed.size() - 1),
                    "once the broker acknowledged every change, the last one is confirmed");
            long previous = -1;
            for (Position position : confirmed) {
                assertTrue(position instanceof Seq, "only live positions are confirmed, got " + position);
                long n = ((Seq) position).n();
                assertTrue(n > previous, "confirmations arrive in stream order: " + n + " after " + previous);
                previous = n;
            }
            assertEquals(0, queue.size(), "nothing is left in flight after a flush");
            try (var admin = TestKafka.admin()) {
                var group = admin.describeConsumerGroups(List.of(topic + "-group")).describedGroups().get(topic + "-group").get();
                assertEquals(0, group.members().size(), "a queue that only hands changes over never joins the group");
            } catch (java.util.concurrent.ExecutionException e) {
                // no such group at all: as good
            }
        }
    }

    @Test
    void membersOfTheGroupShareThePartitionsAndCommitWhatTheyAcknowledge() throws Exception {
        String topic = TestKafka.fresh("share");
        Map<String, Object> values = TestKafka.values(topic, 6);
        List<WorkerLoop> workers = new ArrayList<>();
        try (KafkaChangeQueue capture = TestKafka.queue(values)) {
            capture.open(position -> { });
            for (int i = 0; i < 3; i++) {
                KafkaChangeQueue queue = TestKafka.queue(values);
                queue.open(position -> { throw new AssertionError("a worker confirmed " + position); });
                workers.add(new WorkerLoop("worker-" + i, queue, POLICY).start());
            }
            TestKafka.awaitMembers(topic + "-group", 3);
            for (long n = 0; n < 3_000; n++) {
                capture.put(TestKafka.live(n));
            }
            assertTrue(capture.awaitConsumed(WAIT), "the group commits every record within a minute");
            Set<Long> seen = new HashSet<>();
            for (WorkerLoop worker : workers) {
                assertNull(worker.failure.get(), "worker failed");
                seen.addAll(worker.seen);
            }
            assertEquals(LongStream.range(0, 3_000).boxed().collect(Collectors.toSet()), seen,
                    "every change reached a worker");
            assertTrue(workers.stream().filter(w -> !w.seen.isEmpty()).count() >= 2,
                    "the partitions are spread over the members: " + workers.stream().map(w -> w.seen.size()).toList());
            assertEquals(0, TestKafka.lag(topic, topic + "-group"), "nothing is left uncommitted");
        } finally {
            for (WorkerLoop worker : workers) {
                worker.close();
            }
        }
    }

    @Test
    void aBatchClosedWithoutAcknowledgementIsRedeliveredToAnotherMember() throws Exception {
        String topic = TestKafka.fresh("redeliver");
        Map<String, Object> values = TestKafka.values(topic, 2);
        try (KafkaChangeQueue capture = TestKafka.queue(values)) {
            capture.open(position -> { });
            for (long n = 0; n < 500; n++) {
                capture.put(TestKafka.live(n));
            }
            capture.flush();

            KafkaChangeQueue crashed = TestKafka.queue(values);
            crashed.open(position -> { });
            ChangeBatch taken = crashed.poll(new BatchPolicy(100, Duration.ofMillis(200)), WAIT);
            assertFalse(taken.isEmpty(), "the first member takes a batch");
            assertEquals(500, TestKafka.lag(topic, topic + "-group"), "taking a batch commits nothing: only its acknowledgement does");
            // The batch is built and flushed, perhaps, but the process dies before acknowledging it.
            crashed.close();

            try (WorkerLoop survivor = new WorkerLoop("survivor", TestKafka.queue(values), POLICY)) {
                survivor.queue.open(position -> { });
                survivor.start();
                assertTrue(capture.awaitConsumed(WAIT), "the survivor commits everything");
                Set<Long> again = taken.changes().stream().map(c -> (Long) c.key().get("id")).collect(Collectors.toSet());
                assertTrue(survivor.seen.containsAll(again), "every change of the unacknowledged batch is delivered again");
                assertEquals(500, survivor.seen.size(), "and every other change too");
            }
        }
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicAndTheGroupGoesOn() throws Exception {
        String topic = TestKafka.fresh("poison");
        Map<String, Object> values = TestKafka.values(topic, 1);
        try (KafkaChangeQueue capture = TestKafka.queue(values)) {
            capture.open(position -> { });
            capture.put(TestKafka.live(1));
            capture.flush();
            Properties raw = new Properties();
            raw.put("bootstrap.servers", TestKafka.server().bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(raw, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), new byte[] {9, 1, 2})).get();
                producer.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2})).get();
            }
            capture.put(TestKafka.live(2));
            capture.flush();

            KafkaChangeQueue worker = TestKafka.queue(values);
            worker.open(position -> { });
            List<Long> seen = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                ChangeBatch batch = worker.poll(POLICY, Duration.ofMillis(500));
                batch.changes().forEach(c -> seen.add((Long) c.key().get("id")));
                worker.acknowledge(batch);
            }
            worker.close();
            assertEquals(List.of(1L, 2L), seen, "the readable changes around the unreadable records arrive");
            assertEquals(0, TestKafka.lag(topic, topic + "-group"), "the unreadable records count as done");

            List<ConsumerRecord<byte[], byte[]>> letters = readAll(topic + ".dead-letter", 2);
            assertEquals(2, letters.size(), "both unreadable records are in the dead-letter topic");
            String error = new String(letters.get(0).headers().lastHeader("flusso.error").value(), StandardCharsets.UTF_8);
            assertTrue(error.contains("topic '" + topic + "', partition 0, offset 1") && error.contains("format version 9"),
                    "the error names topic, partition and offset, and what is wrong: " + error);
            assertEquals("2", new String(letters.get(1).headers().lastHeader("flusso.offset").value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aStalledWorkerLetsTheLagGrowWhileCaptureStaysBoundedAndNothingIsLost() throws Exception {
        String topic = TestKafka.fresh("stall");
        Map<String, Object> values = TestKafka.values(topic, 3);
        values.put("capacity", 50);
        // Sends wait 20 ms for company, so the changes in flight reach the capacity: the bound must hold, not idle.
        values.put("producer", Map.of("linger.ms", 20));
        try (KafkaChangeQueue capture = TestKafka.queue(values);
                WorkerLoop worker = new WorkerLoop("stalled", TestKafka.queue(values), POLICY)) {
            List<Position> confirmed = new CopyOnWriteArrayList<>();
            capture.open(confirmed::add);
            worker.queue.open(position -> { });
            CountDownLatch release = worker.stallNextBatch();
            worker.start();
            capture.put(TestKafka.live(0));
            Waits.until("the worker to take its first batch", WAIT, () -> !worker.seen.isEmpty());

            int mostInFlight = 0;
            for (long n = 1; n < 5_000; n++) {
                capture.put(TestKafka.live(n));
                mostInFlight = Math.max(mostInFlight, capture.size());
            }
            capture.flush();
            assertEquals(50, mostInFlight, "capture fills its capacity of changes in flight and blocks there rather than "
                    + "buffer more");
            assertEquals(new Seq(4_999), confirmed.get(confirmed.size() - 1),
                    "capture confirms what the broker holds, however far the workers lag");
            long lag = TestKafka.lag(topic, topic + "-group");
            assertTrue(lag >= 4_900, "the group's lag grows while its worker is stalled: " + lag);

            release.countDown();
            assertTrue(capture.awaitConsumed(WAIT), "the worker catches up once the sink comes back");
            assertEquals(5_000, worker.seen.size(), "nothing is lost");
            assertNull(worker.failure.get());
        }
    }

    @Test
    void aWorkerStalledPastThePollIntervalLosesItsPartitionsToAnotherAndNothingIsLost() throws Exception {
        String topic = TestKafka.fresh("evict");
        Map<String, Object> values = TestKafka.values(topic, 4);
        values.put("consumer", Map.of("max.poll.interval.ms", 3_000));
        try (KafkaChangeQueue capture = TestKafka.queue(values);
                WorkerLoop stalled = new WorkerLoop("stalled", TestKafka.queue(values), POLICY);
                WorkerLoop healthy = new WorkerLoop("healthy", TestKafka.queue(values), POLICY)) {
            capture.open(position -> { });
            stalled.queue.open(position -> { });
            healthy.queue.open(position -> { });
            CountDownLatch release = stalled.stallNextBatch();
            stalled.start();
            healthy.start();
            TestKafka.awaitMembers(topic + "-group", 2);
            for (long n = 0; n < 2_000; n++) {
                capture.put(TestKafka.live(n));
            }
            capture.flush();
            Waits.until("the stalled worker to take a batch", WAIT, () -> !stalled.seen.isEmpty());
            Set<Long> held = Set.copyOf(stalled.seen);
            // Past max.poll.interval.ms the group moves the stalled member's partitions to the healthy one.
            Waits.until("the healthy worker to take over the stalled one's batch", WAIT, () -> healthy.seen.containsAll(held));
            release.countDown();
            assertTrue(capture.awaitConsumed(WAIT), "the group commits every record");
            Set<Long> seen = new HashSet<>(healthy.seen);
            seen.addAll(stalled.seen);
            assertEquals(2_000, seen.size(), "nothing is lost");
            assertNull(stalled.failure.get(), "the evicted worker's refused commit does not fail it");
            assertNull(healthy.failure.get());
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", TestKafka.server().bootstrapServers());
        properties.put("group.id", TestKafka.fresh("reader"));
        properties.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> got = consumer.poll(Duration.ofMillis(200));
                got.forEach(records::add);
            }
        }
        return records;
    }
}
