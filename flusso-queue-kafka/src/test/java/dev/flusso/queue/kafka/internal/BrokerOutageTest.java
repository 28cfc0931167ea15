package dev.flusso.queue.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Position;
import dev.flusso.api.RetriableException;
import dev.flusso.queue.kafka.internal.TestKafka.Seq;
import dev.flusso.testing.kafka.KafkaServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared broker, stopped and started again (same port, same data) under a running capture. */
class BrokerOutageTest {

    private static KafkaServer broker;

    @BeforeAll
    static void start() {
        broker = KafkaServer.shared();
    }

    @AfterAll
    static void restart() {
        // Whatever happened, the next test class finds it serving.
        broker.start();
    }

    @Test
    void nothingIsConfirmedWhileTheBrokerIsDownAndEverythingArrivesAfter() throws Exception {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("bootstrap_servers", broker.bootstrapServers(),
                "topic", TestKafka.fresh("outage"), "group_id", TestKafka.fresh("outage-group"), "partitions", 2));
        List<Position> confirmed = new CopyOnWriteArrayList<>();
        try (KafkaChangeQueue capture = TestKafka.queue(values)) {
            capture.open(confirmed::add);
            for (long n = 0; n < 100; n++) {
                capture.put(TestKafka.live(n));
            }
            capture.flush();
            assertEquals(new Seq(99), confirmed.get(confirmed.size() - 1));

            broker.stop();
            for (long n = 100; n < 200; n++) {
                capture.put(TestKafka.live(n));
            }
            Thread.sleep(2_000);
            assertEquals(new Seq(99), confirmed.get(confirmed.size() - 1),
                    "changes the broker has not acknowledged are not confirmed");
            assertEquals(100, capture.size(), "they wait in flight");

            broker.start();
            capture.flush();
            assertEquals(new Seq(199), confirmed.get(confirmed.size() - 1), "once the broker is back, they are confirmed");

            Set<Long> seen = new HashSet<>();
            try (KafkaChangeQueue worker = TestKafka.queue(values)) {
                worker.open(position -> { });
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (seen.size() < 200 && System.nanoTime() < deadline) {
                    ChangeBatch batch = worker.poll(new BatchPolicy(500, Duration.ofMillis(50)), Duration.ofMillis(500));
                    batch.changes().forEach(c -> seen.add((Long) c.key().get("id")));
                    worker.acknowledge(batch);
                }
            }
            assertEquals(200, seen.size(), "every change is in the topic");
            assertTrue(capture.awaitConsumed(Duration.ofSeconds(30)), "and committed by the group");
        }
    }

    /**
     * A broker gone for longer than the producer's delivery timeout fails the hand-over for good, and not as a
     * retriable failure: a capture retries those in place, and would meet the same failure forever.
     */
    @Test
    void aBrokerGoneLongerThanTheDeliveryTimeoutFailsTheHandOverForGood() throws Exception {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("bootstrap_servers", broker.bootstrapServers(),
                "topic", TestKafka.fresh("outage-long"), "group_id", TestKafka.fresh("outage-long-group"), "partitions", 1,
                "producer", Map.of("delivery.timeout.ms", 2000, "request.timeout.ms", 1000, "linger.ms", 0, "max.block.ms", 2000)));
        List<Position> confirmed = new CopyOnWriteArrayList<>();
        try (KafkaChangeQueue capture = TestKafka.queue(values)) {
            capture.open(confirmed::add);
            capture.put(TestKafka.live(0));
            capture.flush();
            broker.stop();
            try {
                capture.put(TestKafka.live(1));
                FlussoException failure = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (failure == null && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    try {
                        capture.put(TestKafka.live(2));
                    } catch (FlussoException e) {
                        failure = e;
                    }
                }
                assertNotNull(failure, "a hand-over fails once the delivery timeout has passed");
                assertFalse(failure instanceof RetriableException, "the failure is not retriable: " + failure);
                assertTrue(failure.getMessage().contains("did not take a change"), failure.getMessage());
                assertEquals(List.of(new Seq(0)), confirmed, "nothing after the last acknowledged change is confirmed");
            } finally {
                broker.start();
            }
        }
    }
}
