package dev.flusso.queue.kafka.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Figures, not assertions: the codec's speed, the queue's throughput with 1, 2 and 3 workers (no sink: what the
 * queue itself allows), and the latency it adds at 1,000 changes/s. Runs only when asked:
 * {@code mvn verify -Dflusso.bench=true -Dtest=QueueBenchmark}.
 */
class QueueBenchmark {

    private static final int CHANGES = Integer.getInteger("flusso.bench.changes", 200_000);

    @Test
    void figures() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("flusso.bench"), "benchmarks run with -Dflusso.bench=true");
        codec();
        for (int workers = 1; workers <= 3; workers++) {
            throughput(workers);
        }
        latency();
    }

    private static void codec() {
        Change change = Change.update(TestKafka.TABLE, Map.of("id", 123_456L), Map.of("id", 123_456L, "customer_id", 77L, "status", "open"),
                Map.of("id", 123_456L, "customer_id", 78L, "status", "paid"), 0x1_6B37_4D28L, new TestKafka.Seq(1));
        KafkaPosition at = new KafkaPosition("t", 0, 0);
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) {
                sink += ChangeCodec.decode(ChangeCodec.encode(change), at).version();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("codec round %d: %.0f changes/s encoded and decoded (%d bytes each)%n", round,
                    1_000_000 / seconds, ChangeCodec.encode(change).length);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void throughput(int workerCount) throws Exception {
        Map<String, Object> values = TestKafka.values(TestKafka.fresh("bench"), 6);
        List<WorkerLoop> workers = new ArrayList<>();
        try (KafkaChangeQueue capture = TestKafka.queue(values)) {
            capture.open(position -> { });
            for (int i = 0; i < workerCount; i++) {
                KafkaChangeQueue queue = TestKafka.queue(values);
                queue.open(position -> { });
                workers.add(new WorkerLoop("bench-" + i, queue, new BatchPolicy(1_000, Duration.ofMillis(50))).start());
            }
            TestKafka.awaitMembers(values.get("group_id").toString(), workerCount);
            long start = System.nanoTime();
            for (long n = 0; n < CHANGES; n++) {
                capture.put(TestKafka.live(n));
            }
            capture.flush();
            double produced = (System.nanoTime() - start) / 1e9;
            capture.awaitConsumed(Duration.ofMinutes(5));
            double consumed = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d worker(s): %d changes produced and confirmed in %.2f s (%.0f/s), consumed and committed in %.2f s (%.0f/s)%n",
                    workerCount, CHANGES, produced, CHANGES / produced, consumed, CHANGES / consumed);
        } finally {
            for (WorkerLoop worker : workers) {
                worker.close();
            }
        }
    }

    private static void latency() throws Exception {
        Map<String, Object> values = TestKafka.values(TestKafka.fresh("latency"), 6);
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = new ArrayList<>();
        AtomicLong confirmedAt = new AtomicLong();
        try (KafkaChangeQueue capture = TestKafka.queue(values); KafkaChangeQueue worker = TestKafka.queue(values)) {
            List<Long> confirmLatencies = new ArrayList<>();
            capture.open(position -> {
                Long sent = sentAt.get(((TestKafka.Seq) position).n());
                if (sent != null) {
                    synchronized (confirmLatencies) {
                        confirmLatencies.add(System.nanoTime() - sent);
                    }
                }
                confirmedAt.set(System.nanoTime());
            });
            worker.open(position -> { });
            Thread consumer = new Thread(() -> {
                try {
                    while (latencies.size() < 5_000) {
                        ChangeBatch batch = worker.poll(new BatchPolicy(1_000, Duration.ofMillis(5)), Duration.ofMillis(100));
                        long now = System.nanoTime();
                        for (Change change : batch.changes()) {
                            latencies.add(now - sentAt.get(change.version()));
                        }
                        worker.acknowledge(batch);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Warm up the group before measuring.
            worker.poll(new BatchPolicy(1, Duration.ZERO), Duration.ofSeconds(5));
            consumer.start();
            long next = System.nanoTime();
            for (long n = 0; n < 5_000; n++) {
                long early = next - System.nanoTime();
                if (early > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(early);
                }
                sentAt.put(n, System.nanoTime());
                capture.put(TestKafka.live(n));
                next += 1_000_000;
            }
            consumer.join(60_000);
            System.out.println("at 1,000 changes/s, hand-over to worker poll: " + percentiles(latencies));
            synchronized (confirmLatencies) {
                System.out.println("at 1,000 changes/s, hand-over to source confirmation: " + percentiles(confirmLatencies));
            }
        }
    }

    private static String percentiles(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return "no samples";
        }
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)", sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6, sorted.length)
                + (Arrays.stream(sorted).anyMatch(n -> n < 0) ? " (clock went backwards)" : "");
    }
}
