package dev.flusso.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.Observer;
import dev.flusso.core.Workloads.Op;
import dev.flusso.core.internal.BatchProcessor;
import dev.flusso.core.internal.Blame;
import dev.flusso.core.internal.ChannelQueue;
import dev.flusso.core.internal.Sleeper;
import dev.flusso.core.internal.Worker;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.FakeBuilder;
import dev.flusso.testing.FakeDatabase;
import dev.flusso.testing.FakeDocuments;
import dev.flusso.testing.InMemorySink;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The engine's invariants, over random change streams, batch policies, queue sizes and crash points. */
class EngineProperties {

    @Provide
    Arbitrary<List<List<Op>>> workload() {
        return Workloads.transactions(40);
    }

    /**
     * (a) At-least-once: whatever the crashes, the destination converges to the oracle, and no position is ever
     * confirmed before its documents are flushed (the rig fails the run the moment one is).
     */
    @Property
    void convergesToTheOracleWhateverTheCrashes(
            @ForAll("workload") List<List<Op>> transactions,
            @ForAll @IntRange(min = 1, max = 12) int maxChanges,
            @ForAll @IntRange(min = 1, max = 30) int capacity,
            @ForAll @Size(max = 4) List<@IntRange(min = 1, max = 150) Integer> crashAt) {
        Rig rig = new Rig().checkingConfirmations();
        rig.batchPolicy = new BatchPolicy(maxChanges, Duration.ZERO);
        rig.queueCapacity = capacity;
        crashInRounds(rig, transactions, crashAt);
    }

    /**
     * (a') The same with several flushes in flight that land in any order, some failing retriably: whatever the
     * interleaving and the crashes (in a lane, between lanes), the destination converges to the oracle, and positions
     * are confirmed only as a contiguous prefix of flushed batches.
     */
    @Property(tries = 120)
    void convergesWithFlushesInFlightLandingInAnyOrder(
            @ForAll("workload") List<List<Op>> transactions,
            @ForAll @IntRange(min = 1, max = 6) int maxChanges,
            @ForAll @IntRange(min = 1, max = 4) int maxInFlight,
            @ForAll long lanes,
            @ForAll @IntRange(min = 0, max = 3) int failingFlushes,
            @ForAll @Size(max = 3) List<@IntRange(min = 1, max = 150) Integer> crashAt) {
        Rig rig = new Rig().checkingConfirmations();
        rig.batchPolicy = new BatchPolicy(maxChanges, Duration.ZERO, maxInFlight);
        rig.lanes = lanes;
        rig.store.failNextFlushes(failingFlushes);
        crashInRounds(rig, transactions, crashAt);
    }

    /** Applies the transactions in rounds, a run crashing at the given point after each but the last, then runs to the end. */
    private static void crashInRounds(Rig rig, List<List<Op>> transactions, List<Integer> crashAt) {
        int rounds = crashAt.size() + 1;
        int per = (transactions.size() + rounds - 1) / rounds;
        for (int round = 0; round < rounds; round++) {
            Workloads.apply(rig.database, transactions.subList(Math.min(round * per, transactions.size()),
                    Math.min((round + 1) * per, transactions.size())));
            if (round < crashAt.size()) {
                CrashPlan plan = CrashPlan.atHit(crashAt.get(round));
                rig.runUntilCrash(plan);
                Statistics.label("crash point").collect(plan.crashedAt() == null ? "none (ran to the end)" : plan.crashedAt());
            }
        }
        rig.runToEnd();
        rig.assertConverged();
    }

    /** (b) Dedup: one batch builds each affected document once, carrying the newest version that touched it. */
    @Property
    void buildsEachDocumentOncePerBatchWithItsNewestVersion(@ForAll("workload") List<List<Op>> transactions) {
        Rig rig = new Rig();
        Workloads.apply(rig.database, transactions);
        int changes = rig.database.logSize();
        if (changes == 0) {
            return;
        }
        rig.batchPolicy = new BatchPolicy(changes, Duration.ofSeconds(30));
        rig.queueCapacity = changes;
        rig.engine(CrashPlan.never(), true).backfill(false).build().run();

        List<List<DocumentId>> calls = rig.lastBuilder.buildCalls();
        assertEquals(1, calls.size(), "one batch of " + changes + " changes, one build call");
        assertEquals(calls.get(0).size(), new HashSet<>(calls.get(0)).size(), "no document is built twice: " + calls.get(0));
        Map<String, Long> newest = new HashMap<>();
        for (Change change : rig.database.logFrom(0)) {
            for (String parent : directParents(change)) {
                newest.merge(parent, change.version(), Math::max);
            }
        }
        newest.forEach((parent, version) -> assertEquals(version,
                rig.store.entry(new DocumentId(FakeDocuments.PARENTS, parent)).orElseThrow().version(),
                "parents/" + parent + " carries the newest version among its changes"));
        rig.assertConverged();
    }

    private static Set<String> directParents(Change change) {
        Set<String> parents = new HashSet<>();
        if (change.isProgress()) {
            return parents;
        }
        String column = change.table().equals(FakeDatabase.PARENT) ? "id" : "parent_id";
        for (Map<String, Object> values : List.of(change.oldValues(), change.newValues())) {
            if (values.get(column) != null) {
                parents.add(values.get(column).toString());
            }
        }
        return parents;
    }

    /** (c) Batching: N queued changes take ⌈N / maxChanges⌉ flushes. */
    @Property
    void queuedChangesTakeCeilingOfNOverMaxChangesFlushes(
            @ForAll @IntRange(min = 1, max = 200) int n, @ForAll @IntRange(min = 1, max = 50) int maxChanges) throws Exception {
        Rig rig = new Rig();
        for (int i = 0; i < n; i++) {
            long id = i;
            rig.database.transaction(tx -> tx.upsertParent(id, "p"));
        }
        ChannelQueue queue = new ChannelQueue(n);
        queue.open(position -> { });
        for (Change change : rig.database.logFrom(0)) {
            queue.put(change);
        }
        InMemorySink sink = new InMemorySink(rig.store, CrashPlan.never());
        sink.ensureIndex(FakeDocuments.PARENTS_INDEX);
        BatchProcessor processor = new BatchProcessor(new FakeBuilder(rig.database, CrashPlan.never()), sink, queue,
                FailurePolicies.DEFAULT, Observer.NONE, Set.of(FakeDocuments.PARENTS), Sleeper.SYSTEM, new Blame());
        Worker worker = new Worker(queue, processor, new BatchPolicy(maxChanges, Duration.ZERO), e -> { });
        Thread thread = new Thread(worker);
        thread.start();
        assertTrue(worker.awaitProcessed(n, () -> false), "the worker processes every queued change");
        worker.requestStop();
        thread.join();
        assertEquals((n + maxChanges - 1) / maxChanges, rig.store.flushes());
    }

    /**
     * (d) Back-pressure: a fast source against a stalled sink holds no more than the queue's capacity, plus the
     * batch in the worker's hands and the one change the capture is waiting to hand over.
     */
    @Property(tries = 12)
    void aStalledSinkBoundsWhatTheEngineHolds(
            @ForAll @IntRange(min = 1, max = 40) int capacity, @ForAll @IntRange(min = 1, max = 20) int maxChanges) throws Exception {
        Rig rig = new Rig();
        for (int i = 0; i < 3 * (capacity + maxChanges) + 10; i++) {
            long id = i;
            rig.database.transaction(tx -> tx.upsertParent(id, "p"));
        }
        rig.batchPolicy = new BatchPolicy(maxChanges, Duration.ZERO);
        rig.queueCapacity = capacity;
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        rig.store.beforeApply(documents -> {
            stalled.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CrashPlan counting = CrashPlan.never();
        Engine engine = rig.engine(counting, false).backfill(false).build();
        CompletableFuture<Void> run = CompletableFuture.runAsync(engine::run);
        assertTrue(stalled.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rig.lastQueue.size() < capacity && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(50);
        long taken = counting.hits().stream().filter("capture.emit"::equals).count();
        assertEquals(capacity, rig.lastQueue.size(), "the queue fills to its capacity and no further");
        assertTrue(taken <= capacity + maxChanges + 1,
                "took " + taken + " changes from the source with capacity " + capacity + " and batches of " + maxChanges);
        release.countDown();
        engine.stop();
        run.get(10, TimeUnit.SECONDS);
    }

    /**
     * (e) A backfill crashed mid-way resumes after its checkpoint, reads no flushed row again, and seeds. Both
     * indexes have one row per parent, backfilled one index after the other: the crash strikes in either.
     */
    @Property(tries = 50)
    void anInterruptedBackfillResumesFromItsCheckpoint(
            @ForAll @IntRange(min = 1, max = 40) int parents, @ForAll @IntRange(min = 1, max = 8) int maxChanges,
            @ForAll @IntRange(min = 1, max = 90) int crashAtRow) {
        Rig rig = new Rig().checkingConfirmations();
        rig.batchPolicy = new BatchPolicy(maxChanges, Duration.ZERO);
        for (int i = 1; i <= parents; i++) {
            long id = i;
            rig.database.transaction(tx -> tx.upsertParent(id, "p" + id).upsertChild(1000 + id, id, "c"));
        }
        boolean crashed = rig.runUntilCrash(CrashPlan.atPoint("capture.snapshot", crashAtRow));
        assertEquals(crashAtRow <= 2 * parents, crashed, "the crash strikes while some index is backfilled");
        if (!crashed) {
            return;
        }
        boolean inParents = crashAtRow <= parents;
        String index = inParents ? FakeDocuments.PARENTS : FakeDocuments.CHILDREN;
        long firstKey = inParents ? 1 : 1001;
        long crashRow = inParents ? crashAtRow : crashAtRow - parents;
        assertEquals(!inParents, rig.store.isSeeded(FakeDocuments.PARENTS), "an index is seeded once its backfill is complete");
        assertTrue(!rig.store.isSeeded(index), "an interrupted backfill does not seed " + index);
        long flushedRows = rig.store.checkpoint(index).map(c -> Long.parseLong(c) - firstKey + 1).orElse(0L);
        assertTrue(flushedRows < crashRow, "only flushed rows are checkpointed: " + flushedRows + " vs crash at row " + crashRow);

        CrashPlan second = CrashPlan.never();
        rig.engine(second, true).build().run();
        long reread = second.hits().stream().filter("capture.snapshot"::equals).count();
        long expected = (parents - flushedRows) + (inParents ? parents : 0);
        assertEquals(expected, reread, "the restart reads only the rows of " + index + " after its checkpoint, "
                + "and all of any index not yet started");
        assertTrue(rig.store.isSeeded(FakeDocuments.PARENTS) && rig.store.isSeeded(FakeDocuments.CHILDREN));
        rig.assertConverged();
    }
}
