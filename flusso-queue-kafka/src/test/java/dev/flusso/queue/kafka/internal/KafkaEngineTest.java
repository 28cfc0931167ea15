package dev.flusso.queue.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.DocumentId;
import dev.flusso.core.Engine;
import dev.flusso.testing.CaptureState;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.FakeBuilder;
import dev.flusso.testing.FakeCapture;
import dev.flusso.testing.FakeDatabase;
import dev.flusso.testing.FakeDocuments;
import dev.flusso.testing.InMemorySink;
import dev.flusso.testing.SinkStore;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** flusso-core's engine with the kafka queue: one process with both roles, and several processes sharing a group. */
class KafkaEngineTest {

    private final FakeDatabase database = new FakeDatabase();
    private final SinkStore store = new SinkStore();
    private final CaptureState source = new CaptureState();
    private final Map<String, FakeBuilder> builders = new ConcurrentHashMap<>();

    @Test
    void oneProcessBackfillsThenStreamsThroughKafka() {
        Random random = new Random(7);
        for (int i = 0; i < 150; i++) {
            randomTransaction(random);
        }
        Engine engine = engine(new FakeCapture(database, source, CrashPlan.never(), true),
                TestKafka.queue(TestKafka.values(TestKafka.fresh("engine-all"), 4)), new FakeBuilder(database, CrashPlan.never()),
                CrashPlan.never());
        engine.run();
        assertEquals(database.expectedDocuments(), store.documents(), "the destination holds what the oracle rebuilds");
        assertTrue(store.isSeeded(FakeDocuments.PARENTS) && store.isSeeded(FakeDocuments.CHILDREN), "both indexes are seeded");
        assertEquals(database.logSize() - 1, source.confirmed(), "every change is confirmed once the broker holds it");
    }

    @Test
    void aCaptureProcessBackfillsThroughWorkersElsewhereAndSeedsOnlyOnceTheyAcknowledged() throws Exception {
        Random random = new Random(5);
        for (int i = 0; i < 120; i++) {
            randomTransaction(random);
        }
        Map<String, Object> values = TestKafka.values(TestKafka.fresh("engine-roles"), 4);
        List<Engine> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (String name : List.of("worker-1", "worker-2")) {
            Engine worker = engine(null, TestKafka.queue(values), new FakeBuilder(database, CrashPlan.never()), CrashPlan.never(),
                    Engine.Role.WORKER);
            workers.add(worker);
            Thread thread = new Thread(worker::run, name);
            threads.add(thread);
            thread.start();
        }
        try {
            TestKafka.awaitMembers(values.get("group_id").toString(), 2);
            Engine capture = engine(new FakeCapture(database, source, CrashPlan.never(), true), TestKafka.queue(values),
                    new FakeBuilder(database, CrashPlan.never()), CrashPlan.never(), Engine.Role.CAPTURE);
            capture.run();
            assertTrue(store.isSeeded(FakeDocuments.PARENTS) && store.isSeeded(FakeDocuments.CHILDREN),
                    "the capture process seeded both indexes once the workers had flushed their rows");
            assertEquals(database.expectedDocuments(), store.documents(),
                    "a finite stream ends only when the workers elsewhere have written every change");
        } finally {
            workers.forEach(Engine::stop);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
        assertEquals(database.logSize() - 1, source.confirmed(), "every change is confirmed once the broker holds it");
    }

    /**
     * A process with both roles shares its group with a worker elsewhere, which takes some of the backfill's
     * partitions: the backfill is complete once the group acknowledged every record, not once this process's own
     * worker has handled as many records as were sent.
     */
    @Test
    void aProcessWithBothRolesSeedsOnceTheWholeGroupAcknowledged() throws Exception {
        Random random = new Random(9);
        for (int i = 0; i < 120; i++) {
            randomTransaction(random);
        }
        Map<String, Object> values = TestKafka.values(TestKafka.fresh("engine-all-and-worker"), 4);
        Engine worker = engine(null, TestKafka.queue(values), new FakeBuilder(database, CrashPlan.never()), CrashPlan.never(),
                Engine.Role.WORKER);
        Thread workerThread = new Thread(worker::run, "worker-elsewhere");
        workerThread.start();
        Engine both = engine(new FakeCapture(database, source, CrashPlan.never(), true), TestKafka.queue(values),
                new FakeBuilder(database, CrashPlan.never()), CrashPlan.never(), Engine.Role.ALL);
        Thread bothThread = new Thread(both::run, "capture-and-worker");
        try {
            TestKafka.awaitMembers(values.get("group_id").toString(), 1);
            bothThread.start();
            bothThread.join(Duration.ofSeconds(90).toMillis());
            assertTrue(!bothThread.isAlive(), "the run with both roles ends: its backfill and its finite stream complete"
                    + " although the worker elsewhere handled part of them");
            assertTrue(store.isSeeded(FakeDocuments.PARENTS) && store.isSeeded(FakeDocuments.CHILDREN), "both indexes are seeded");
            assertEquals(database.expectedDocuments(), store.documents(), "the destination holds what the oracle rebuilds");
        } finally {
            both.stop();
            worker.stop();
            bothThread.join(60_000);
            workerThread.join(60_000);
        }
    }

    @Test
    void theRolesApartNeedADurableQueue() {
        assertThrows(dev.flusso.api.ConfigurationException.class, () -> Engine.builder()
                .documentBuilder(new FakeBuilder(database, CrashPlan.never()))
                .sink(new InMemorySink(store, CrashPlan.never()))
                .role(Engine.Role.WORKER)
                .build());
    }

    @Test
    void concurrentWorkersConvergeAndACrashedWorkersBatchIsTakenOver() throws Exception {
        // Seeded already: the worker-only engines must not backfill, and live changes build everything.
        store.markSeeded(FakeDocuments.PARENTS);
        store.markSeeded(FakeDocuments.CHILDREN);
        Map<String, Object> values = TestKafka.values(TestKafka.fresh("engine-group"), 6);
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        List<Engine> engines = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CrashPlan crashing = CrashPlan.atPoint("sink.flush.after", 3);
        for (String name : List.of("capture-and-worker", "worker-1", "worker-2", "crashing-worker")) {
            boolean capturing = name.startsWith("capture");
            FakeBuilder builder = new FakeBuilder(database, CrashPlan.never());
            builders.put(name, builder);
            Engine engine = engine(capturing ? new FakeCapture(database, source, CrashPlan.never(), false) : null,
                    TestKafka.queue(values), builder, name.startsWith("crashing") ? crashing : CrashPlan.never(),
                    capturing ? Engine.Role.ALL : Engine.Role.WORKER);
            engines.add(engine);
            Thread thread = new Thread(() -> {
                try {
                    engine.run();
                } catch (Throwable e) {
                    failures.put(name, e);
                }
            }, name);
            threads.add(thread);
            thread.start();
        }
        try {
            // Every engine holds partitions before the writes start, so each of them takes a share.
            TestKafka.awaitMembers(values.get("group_id").toString(), 4);
            Random random = new Random(11);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; (i < 600 || crashing.crashedAt() == null) && System.nanoTime() < deadline; i++) {
                randomTransaction(random);
                if (i % 20 == 0) {
                    Thread.sleep(10);
                }
            }
            Waits.until("the four engines to converge on the oracle", Duration.ofSeconds(120),
                    () -> database.expectedDocuments().equals(store.documents()));
        } finally {
            engines.forEach(Engine::stop);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
        assertEquals(database.expectedDocuments(), store.documents(), "the destination holds what the oracle rebuilds");
        assertInstanceOf(CrashPlan.SimulatedCrash.class, failures.remove("crashing-worker"),
                "the crashing worker died after a flush, before acknowledging");
        assertEquals(Map.of(), failures, "no other engine failed");
        assertEquals(database.logSize() - 1, source.confirmed(), "the capture confirmed every change the broker holds");
        long shared = builtByMoreThanOneWorker();
        assertTrue(shared > 0, "the workers built the same documents concurrently, from different partitions");
        System.out.println("documents built by more than one worker: " + shared);
    }

    /** {@return how many documents more than one engine built: the overlap that versions must settle} */
    private long builtByMoreThanOneWorker() {
        Map<DocumentId, Set<String>> builtBy = new HashMap<>();
        builders.forEach((name, builder) -> {
            for (List<DocumentId> call : builder.buildCalls()) {
                for (DocumentId id : call) {
                    builtBy.computeIfAbsent(id, k -> new HashSet<>()).add(name);
                }
            }
        });
        return builtBy.values().stream().filter(names -> names.size() > 1).count();
    }

    private Engine engine(ChangeCapture capture, KafkaChangeQueue queue, FakeBuilder builder, CrashPlan sinkCrashes) {
        return engine(capture, queue, builder, sinkCrashes, Engine.Role.ALL);
    }

    private Engine engine(ChangeCapture capture, KafkaChangeQueue queue, FakeBuilder builder, CrashPlan sinkCrashes,
            Engine.Role role) {
        return Engine.builder()
                .role(role)
                .capture(capture)
                .queue(queue)
                .documentBuilder(builder)
                .sink(new InMemorySink(store, sinkCrashes))
                .batchPolicy(new BatchPolicy(20, Duration.ofMillis(10)))
                .stopGrace(Duration.ofSeconds(10))
                .build();
    }

    private void randomTransaction(Random random) {
        database.transaction(tx -> {
            for (int op = 1 + random.nextInt(3); op > 0; op--) {
                long parent = 1 + random.nextInt(12);
                long child = 100 + random.nextInt(30);
                String text = Integer.toString(random.nextInt(1000));
                switch (random.nextInt(10)) {
                    case 0 -> tx.deleteParent(parent);
                    case 1 -> tx.renumberParent(parent, 1 + random.nextInt(12));
                    case 2 -> tx.deleteChild(child);
                    case 3, 4, 5 -> tx.upsertParent(parent, text);
                    default -> tx.upsertChild(child, parent, text);
                }
            }
        });
    }
}
