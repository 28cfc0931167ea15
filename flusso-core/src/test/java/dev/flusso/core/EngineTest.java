package dev.flusso.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.FlussoException;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.RetryPolicy;
import dev.flusso.api.Sink;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.FakeDocuments;
import dev.flusso.testing.InMemorySink;
import dev.flusso.testing.SinkStore;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineTest {

    private final Rig rig = new Rig().checkingConfirmations();

    private void sampleData() {
        rig.database.transaction(tx -> tx.upsertParent(1, "ada").upsertParent(2, "grace").upsertChild(10, 1, "x").upsertChild(11, 1, "y"));
        rig.database.transaction(tx -> tx.upsertChild(12, 2, "z"));
    }

    @Test
    void backfillsThenStreamsToTheOracle() {
        sampleData();
        rig.runToEnd();
        rig.assertConverged();
        assertTrue(rig.store.isSeeded(FakeDocuments.PARENTS) && rig.store.isSeeded(FakeDocuments.CHILDREN));
        assertEquals(Map.of("1", "{\"id\":1,\"name\":\"ada\",\"children\":[{\"id\":10,\"value\":\"x\"},{\"id\":11,\"value\":\"y\"}]}",
                "2", "{\"id\":2,\"name\":\"grace\",\"children\":[{\"id\":12,\"value\":\"z\"}]}"),
                rig.store.documents().get(FakeDocuments.PARENTS));
    }

    @Test
    void ensuresEveryMappingBeforeAnyWriteOnEveryStart() {
        sampleData();
        rig.runToEnd();
        rig.database.transaction(tx -> tx.upsertParent(3, "edsger"));
        rig.runToEnd();
        List<String> events = rig.store.events();
        int secondStart = events.lastIndexOf("ensure " + FakeDocuments.PARENTS);
        assertEquals(List.of("ensure parents", "ensure children"), events.subList(0, 2), "first start ensures first");
        assertEquals(List.of("ensure parents", "ensure children"), events.subList(secondStart, secondStart + 2),
                "a resumed start ensures again before writing: " + events);
        rig.assertConverged();
    }

    @Test
    void backfillTouchesOnlyUnseededIndexes() {
        sampleData();
        rig.store.markSeeded(FakeDocuments.PARENTS);
        rig.engine(CrashPlan.never(), true).build().run();
        assertEquals(List.of(FakeDocuments.CHILDREN), rig.capture.snapshotRequests().stream().map(r -> r.index()).toList());
        assertTrue(rig.batches.stream().filter(b -> b.backfill()).allMatch(b -> b.documents() > 0));
        rig.assertConverged();
    }

    @Test
    void aSourceThatLostItsPlaceBackfillsEveryIndexAgain() {
        sampleData();
        rig.runToEnd();
        rig.database.transaction(tx -> tx.upsertParent(1, "missed").upsertChild(13, 2, "missed too").deleteChild(10)
                .upsertParent(3, "gone soon"));
        rig.database.transaction(tx -> tx.deleteParent(3).deleteParent(2));
        rig.capture.losePlace();
        rig.runToEnd();
        assertEquals(List.of("canResume", "open"), rig.capture.calls().subList(2, 4), "asked before opening");
        assertEquals(List.of("parents", "children", "parents", "children"),
                rig.capture.snapshotRequests().stream().map(r -> r.index()).toList(), "both indexes backfilled again");
        rig.assertConverged();
    }

    @Test
    void aCrashAfterTheSourceFoundANewPlaceStillBackfills() {
        sampleData();
        rig.runToEnd();
        rig.database.transaction(tx -> tx.upsertParent(2, "missed"));
        rig.capture.losePlace();
        assertTrue(rig.runUntilCrash(CrashPlan.atPoint("capture.snapshot", 1)), "crashes in the first row of the backfill");
        assertFalse(rig.store.isSeeded(FakeDocuments.PARENTS), "unseeded durably before the new place was taken");
        rig.runToEnd();
        rig.assertConverged();
    }

    @Test
    void aSinkRestoredFromAnOlderBackupIsRebuiltInsteadOfLeftShortOfTheChangesSince() {
        sampleData();
        rig.runToEnd();
        rig.database.transaction(tx -> tx.upsertParent(3, "edsger"));
        rig.runToEnd();
        SinkStore.Backup older = rig.store.backup();
        rig.database.transaction(tx -> tx.upsertParent(1, "ada lovelace").deleteChild(10).upsertChild(14, 3, "w"));
        rig.database.transaction(tx -> tx.deleteParent(2));
        rig.runToEnd();
        assertEquals(List.of("parents", "children"), indexesSnapshotted(), "a restart of a sink that kept up backfills nothing");

        rig.store.restore(older);
        rig.runToEnd();
        assertEquals(List.of("parents", "children", "parents", "children"), indexesSnapshotted(),
                "the restored destination is rebuilt: the source had already forgotten the changes it lost");
        rig.assertConverged();

        rig.runToEnd();
        assertEquals(4, indexesSnapshotted().size(), "and once rebuilt, it has kept up again");
    }

    @Test
    void aSinkRestoredFromABackupTakenMidBackfillIsRebuiltNotResumedFromTheRestoredCheckpoint() {
        sampleData();
        rig.database.transaction(tx -> tx.upsertParent(3, "edsger"));
        rig.runToEnd();
        SinkStore.Backup done = rig.store.backup();
        // As the destination was while the parents' backfill had reached parent 2.
        java.util.Set<String> seeded = new java.util.TreeSet<>(done.seeded());
        seeded.remove(FakeDocuments.PARENTS);
        SinkStore.Backup midBackfill = new SinkStore.Backup(done.documents(), seeded, Map.of(FakeDocuments.PARENTS, "2"), done.recorded());
        rig.database.transaction(tx -> tx.upsertParent(1, "changed after the backup"));
        rig.runToEnd();

        rig.store.restore(midBackfill);
        rig.runToEnd();
        assertTrue(rig.store.events().stream().anyMatch(e -> e.equals("unseeded " + FakeDocuments.PARENTS)),
                "restarted as a rebuild, its restored checkpoint dropped: " + rig.store.events());
        rig.assertConverged();
    }

    @Test
    void aSinkThatRecordsNoVersionIsNeverRebuiltForIt() {
        sampleData();
        rig.runToEnd();
        rig.database.transaction(tx -> tx.upsertParent(3, "edsger"));
        Sink forgetful = new dev.flusso.api.ForwardingSink(new InMemorySink(rig.store, CrashPlan.never())) {
            @Override
            public java.util.OptionalLong recordedVersion(String index) {
                return java.util.OptionalLong.empty();
            }
        };
        rig.engine(CrashPlan.never(), true).sink(forgetful).build().run();
        assertEquals(List.of("parents", "children"), indexesSnapshotted());
        rig.assertConverged();
    }

    private List<String> indexesSnapshotted() {
        return rig.capture.snapshotRequests().stream().map(r -> r.index()).toList();
    }

    @Test
    void aRebuildBackfillsOnlyTheAskedIndexAgainAndConverges() {
        sampleData();
        rig.runToEnd();
        rig.database.transaction(tx -> tx.upsertParent(3, "edsger").deleteChild(11));
        rig.engine(CrashPlan.never(), true).rebuild(List.of(FakeDocuments.PARENTS)).build().run();
        assertEquals(List.of("parents", "children", "parents"),
                rig.capture.snapshotRequests().stream().map(r -> r.index()).toList(), "only parents backfilled again");
        List<String> events = rig.store.events();
        assertTrue(events.lastIndexOf("unseeded parents") > events.lastIndexOf("ensure children"),
                "marked for rebuild after the mappings are ensured: " + events);
        assertTrue(rig.store.isSeeded(FakeDocuments.PARENTS));
        rig.assertConverged();
    }

    @Test
    void aRebuildAskedOfALiveRunKeepsLiveChangesFlowingAndSwapsInOnlyWhatTheBackfillWroteAgain() throws Exception {
        sampleData();
        rig.runToEnd();
        // A document the database does not hold, as drift leaves one: only a rebuild removes it.
        try (InMemorySink drifted = new InMemorySink(rig.store, CrashPlan.never())) {
            drifted.ensureIndex(FakeDocuments.PARENTS_INDEX);
            drifted.write(dev.flusso.api.Document.upsert(new DocumentId(FakeDocuments.PARENTS, "99"), 0, "{}"));
            drifted.flush();
        }
        CountDownLatch snapshotHeld = new CountDownLatch(1);
        rig.capture.holdSnapshotsUntil(snapshotHeld);
        Engine engine = rig.engine(CrashPlan.never(), false).build();
        int before = rig.store.events().size();
        CompletableFuture<Void> run = CompletableFuture.runAsync(engine::run);
        try {
            Waits.until("the run to ensure its indexes", Duration.ofSeconds(10),
                    () -> rig.store.events().subList(before, rig.store.events().size()).contains("ensure children"));
            assertTrue(engine.canRebuildLive(), "a capture that snapshots while it streams rebuilds live");
            engine.rebuildLive(FakeDocuments.PARENTS);
            Waits.until("the rebuild to start", Duration.ofSeconds(10), () -> rig.store.events().contains("unseeded parents"));

            rig.database.transaction(tx -> tx.upsertChild(13, 2, "during").upsertParent(4, "barbara"));
            Waits.until("live changes to both indexes, the rebuilt one too, flushed while the rebuild's snapshot is held",
                    Duration.ofSeconds(10), () -> rig.store.documents().get(FakeDocuments.CHILDREN).containsKey("13")
                            && rig.store.documents().get(FakeDocuments.PARENTS).containsKey("4"));
            assertFalse(rig.store.isSeeded(FakeDocuments.PARENTS), "the rebuild is still under way");

            snapshotHeld.countDown();
            Waits.until("the rebuilt index to be swapped in", Duration.ofSeconds(10), () -> rig.store.isSeeded(FakeDocuments.PARENTS));
            rig.database.transaction(tx -> tx.upsertParent(5, "frances"));
            Waits.until("live changes to flow on after the swap", Duration.ofSeconds(10),
                    () -> rig.store.documents().get(FakeDocuments.PARENTS).containsKey("5"));
        } finally {
            engine.stop();
            run.get(30, TimeUnit.SECONDS);
        }
        assertFalse(rig.store.documents().get(FakeDocuments.PARENTS).containsKey("99"), "the rebuild dropped the drifted document");
        assertEquals(List.of("parents", "children", "parents"),
                rig.capture.snapshotRequests().stream().map(r -> r.index()).toList(), "only parents backfilled again");
        rig.runToEnd();
        rig.assertConverged();
    }

    @Test
    void aLiveRebuildOfAnUnknownIndexIsAConfigurationErrorNamingTheKnownOnes() throws Exception {
        sampleData();
        Engine engine = rig.engine(CrashPlan.never(), false).build();
        CompletableFuture<Void> run = CompletableFuture.runAsync(engine::run);
        try {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> engine.rebuildLive("nope"));
            assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("parents"), e.getMessage());
        } finally {
            engine.stop();
            run.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRebuildOfAnUnknownIndexIsAConfigurationErrorNamingTheKnownOnes() {
        sampleData();
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> rig.engine(CrashPlan.never(), true).rebuild(List.of("nope")).build().run());
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("parents"), e.getMessage());
    }

    @Test
    void aSourceThatDropsItsConnectionWhileBuildingIsReadAgainNotFatal() {
        sampleData();
        dev.flusso.api.DocumentBuilder real = new dev.flusso.testing.FakeBuilder(rig.database, CrashPlan.never());
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(2);
        dev.flusso.api.DocumentBuilder flaky = new dev.flusso.api.DocumentBuilder() {
            @Override
            public List<dev.flusso.api.IndexDefinition> indexes() {
                return real.indexes();
            }

            @Override
            public void resolve(List<dev.flusso.api.Change> changes, java.util.Set<String> scope,
                    dev.flusso.api.Resolution out) {
                real.resolve(changes, scope, out);
            }

            @Override
            public void build(java.util.Collection<DocumentId> ids, dev.flusso.api.BuildOutput out) {
                if (failures.getAndDecrement() > 0) {
                    real.build(ids, out); // half a batch written, then the connection goes
                    throw new dev.flusso.api.RetriableException("connection to the database lost (simulated)");
                }
                real.build(ids, out);
            }
        };
        rig.engine(CrashPlan.never(), true).documentBuilder(flaky).build().run();
        assertTrue(failures.get() < 0, "the build was tried again after both failures");
        rig.assertConverged();
    }

    @Test
    void skipBackfillGoesStraightToLive() {
        sampleData();
        rig.engine(CrashPlan.never(), true).backfill(false).build().run();
        assertEquals(List.of(), rig.capture.snapshotRequests());
        assertFalse(rig.store.isSeeded(FakeDocuments.PARENTS), "an index is seeded only by a backfill");
        rig.assertConverged();
    }

    @Test
    void aDocumentTouchedManyTimesInABatchIsBuiltOnceWithTheNewestVersion() {
        for (int i = 0; i < 20; i++) {
            int n = i;
            rig.database.transaction(tx -> tx.upsertParent(1, "v" + n).upsertChild(100 + n, 1, "c"));
        }
        // Room for exactly the whole log, and time to gather it: one batch.
        rig.batchPolicy = new dev.flusso.api.BatchPolicy(rig.database.logSize(), Duration.ofSeconds(30));
        rig.engine(CrashPlan.never(), true).backfill(false).build().run();
        List<List<DocumentId>> calls = rig.lastBuilder.buildCalls();
        assertEquals(1, calls.size(), "one batch, one build: " + calls);
        assertEquals(1, calls.get(0).stream().filter(id -> id.equals(new DocumentId(FakeDocuments.PARENTS, "1"))).count());
        assertEquals(rig.database.version(), rig.store.entry(new DocumentId(FakeDocuments.PARENTS, "1")).orElseThrow().version(),
                "the document carries the newest version among the changes that touched it");
        rig.assertConverged();
    }

    @Test
    void aPoisonDocumentStopsTheRunUnderStopAndIsRedeliveredAfterTheFix() {
        sampleData();
        rig.store.refuse(new DocumentId(FakeDocuments.CHILDREN, "12"), "mapper_parsing_exception: field [value]");
        FlussoException e = assertThrows(FlussoException.class, () -> rig.engine(CrashPlan.never(), true).build().run());
        assertEquals("stopping: document 'children/12' (version 2): mapper_parsing_exception: field [value] "
                + "(on_error = stop; fix the cause, or choose on_error = skip or dead_letter for index 'children')", e.getMessage());
        assertFalse(rig.store.isSeeded(FakeDocuments.CHILDREN), "a backfill stopped by a poison document is not seeded");
        assertEquals(-1, rig.capture.confirmed());
        rig.store.accept(new DocumentId(FakeDocuments.CHILDREN, "12"));
        rig.runToEnd();
        rig.assertConverged();
    }

    @Test
    void skipAndDeadLetterPoliciesGoOnPastAPoisonDocument() {
        sampleData();
        DocumentId poison = new DocumentId(FakeDocuments.PARENTS, "2");
        rig.failurePolicies = new FailurePolicies(RejectionPolicy.SKIP, Map.of(FakeDocuments.PARENTS, RejectionPolicy.DEAD_LETTER),
                new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)));
        rig.store.refuse(poison, "mapper_parsing_exception");
        rig.runToEnd();
        assertFalse(rig.store.deadLetters().isEmpty(), "the poison document is dead-lettered");
        assertTrue(rig.store.deadLetters().stream().allMatch(r -> r.document().id().equals(poison)
                && r.reason().equals("mapper_parsing_exception")), rig.store.deadLetters().toString());
        assertFalse(rig.store.documents().get(FakeDocuments.PARENTS).containsKey("2"));
        assertEquals(rig.database.logSize() - 1, rig.capture.confirmed(), "the run went on to the end");
    }

    @Test
    void aDocumentTheBuilderCannotBuildIsARejectionToo() {
        sampleData();
        rig.failurePolicies = FailurePolicies.DEFAULT.withOnRejection(RejectionPolicy.DEAD_LETTER);
        Engine.Builder engine = rig.engine(CrashPlan.never(), true);
        rig.lastBuilder.poison(new DocumentId(FakeDocuments.CHILDREN, "11"), "column 'value': cannot convert");
        engine.build().run();
        assertEquals(List.of("children/11"), rig.store.deadLetters().stream().map(r -> r.document().id().toString()).distinct().toList());
    }

    @Test
    void deadLetterPolicyNeedsASinkThatHasADestination() {
        rig.failurePolicies = FailurePolicies.DEFAULT.withOnRejection(RejectionPolicy.DEAD_LETTER);
        Engine.Builder engine = rig.engine(CrashPlan.never(), true);
        Sink plain = new InMemorySink(rig.store, CrashPlan.never()).withoutDeadLetters();
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> engine.sink(plain).build().run());
        assertTrue(e.getMessage().contains("dead-letter"), e.getMessage());
    }

    @Test
    void retriesAFlushThatFailsBrieflyThenSucceeds() {
        sampleData();
        rig.store.failNextFlushes(3);
        rig.runToEnd();
        rig.assertConverged();
    }

    @Test
    void aDestinationAwayWhenTheRunStartsIsWaitedForAndTheObserverSeesTheOutageWhole() {
        sampleData();
        int[] refusals = {3};
        Sink away = new dev.flusso.api.ForwardingSink(new InMemorySink(rig.store, CrashPlan.never())) {
            @Override
            public void ensureIndex(dev.flusso.api.IndexDefinition index) {
                if (refusals[0]-- > 0) {
                    throw new dev.flusso.api.RetriableException("destination restarting (simulated)");
                }
                delegate.ensureIndex(index);
            }
        };
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.flusso.api.Observer observer = new dev.flusso.api.Observer() {
            @Override
            public void retrying(String step, int failedAttempt, Duration failingFor, Duration wait, RuntimeException cause) {
                told.add(step + " failed " + failedAttempt);
            }

            @Override
            public void recovered(String step, int failedAttempts, Duration outage) {
                told.add(step + " recovered after " + failedAttempts);
            }
        };
        rig.engine(CrashPlan.never(), true).sink(away).observer(observer).build().run();
        rig.assertConverged();
        assertEquals(List.of("ensuring index 'parents' failed 1", "ensuring index 'parents' failed 2",
                "ensuring index 'parents' failed 3", "ensuring index 'parents' recovered after 3"), told);
    }

    @Test
    void aSinkThatCannotStartAFlushIsRetriedLikeOneWhoseFlushFailed() {
        sampleData();
        int[] refusals = {3};
        Sink unstartable = new dev.flusso.api.ForwardingSink(new InMemorySink(rig.store, CrashPlan.never())) {
            @Override
            public java.util.concurrent.CompletableFuture<dev.flusso.api.FlushResult> flushAsync() {
                if (refusals[0]-- > 0) {
                    // As a sink that reads the destination before it sends: the writes stay buffered.
                    throw new dev.flusso.api.RetriableException("destination unreachable (simulated)");
                }
                return delegate.flushAsync();
            }
        };
        rig.engine(CrashPlan.never(), true).sink(unstartable).build().run();
        rig.assertConverged();
    }

    @Test
    void failsTheRunWhenFlushRetriesRunOutLeavingTheBatchUnconfirmed() {
        sampleData();
        rig.runToEnd();
        long confirmed = rig.capture.confirmed();
        rig.database.transaction(tx -> tx.upsertParent(1, "ada lovelace"));
        rig.store.failNextFlushes(10_000);
        Engine failing = rig.engine(CrashPlan.never(), true).build();
        FlussoException e = assertThrows(FlussoException.class, failing::run);
        assertTrue(e.getMessage().startsWith("flush failed ") && e.getMessage().contains("gives up after 10 min"),
                e.getMessage());
        assertEquals(java.util.Optional.of("sink"), failing.failedEdge(), "the failure is the sink's");
        assertEquals(confirmed, rig.capture.confirmed(), "nothing past the failed flush is confirmed");
        rig.store.failNextFlushes(0);
        rig.runToEnd();
        rig.assertConverged();
    }

    @Test
    void aFailureIsBlamedOnTheEdgeThatThrewIt() {
        Map<String, String> edges = new java.util.LinkedHashMap<>();
        edges.put("capture.snapshot", "capture");
        edges.put("builder.build", "builder");
        edges.put("sink.flush.before", "sink");
        edges.forEach((point, edge) -> {
            Rig fresh = new Rig();
            fresh.database.transaction(tx -> tx.upsertParent(1, "ada").upsertChild(10, 1, "x"));
            Engine failing = fresh.engine(CrashPlan.atPoint(point, 1), true).build();
            assertThrows(CrashPlan.SimulatedCrash.class, failing::run, point);
            assertEquals(java.util.Optional.of(edge), failing.failedEdge(), "a crash at " + point);
        });
    }

    @Test
    void aFlushThatFailsOnTheSinksOwnThreadIsBlamedOnTheSink() {
        sampleData();
        rig.lanes = 7L;
        rig.store.failNextFlushes(100);
        Engine failing = rig.engine(CrashPlan.never(), true).build();
        assertThrows(FlussoException.class, failing::run);
        assertEquals(java.util.Optional.of("sink"), failing.failedEdge(), "a flush under way failed, so the sink did");
    }

    @Test
    void aCrashBetweenFlushAndConfirmRedeliversTheBatch() {
        sampleData();
        rig.runToEnd();
        rig.database.transaction(tx -> tx.upsertParent(2, "hopper"));
        long confirmed = rig.capture.confirmed();
        assertTrue(rig.runUntilCrash(CrashPlan.atPoint("sink.flush.after", 1)));
        assertEquals("hopper", rig.database.parent(2).orElseThrow().name());
        assertTrue(rig.store.documents().get(FakeDocuments.PARENTS).get("2").contains("hopper"), "flushed");
        assertEquals(confirmed, rig.capture.confirmed(), "flushed but unconfirmed");
        rig.runToEnd();
        rig.assertConverged();
    }

    @Test
    void stopFinishesTheBatchInHandAndConfirmsNothingUnflushed() throws Exception {
        sampleData();
        rig.runToEnd();
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        rig.store.beforeApply(documents -> {
            flushing.countDown();
            await(release);
        });
        Engine engine = rig.engine(CrashPlan.never(), false).build();
        CompletableFuture<Void> run = CompletableFuture.runAsync(engine::run);
        rig.database.transaction(tx -> tx.upsertParent(1, "stopped"));
        assertTrue(flushing.await(10, TimeUnit.SECONDS));
        engine.stop();
        release.countDown();
        run.get(10, TimeUnit.SECONDS);
        rig.assertConverged();
    }

    @Test
    void stopAbandonsABatchThatOutlastsTheGracePeriod() throws Exception {
        sampleData();
        rig.runToEnd();
        long confirmed = rig.capture.confirmed();
        CountDownLatch flushing = new CountDownLatch(1);
        rig.store.beforeApply(documents -> {
            flushing.countDown();
            await(new CountDownLatch(1));
        });
        Engine engine = rig.engine(CrashPlan.never(), false).stopGrace(Duration.ofMillis(50)).build();
        CompletableFuture<Void> run = CompletableFuture.runAsync(engine::run);
        rig.database.transaction(tx -> tx.upsertParent(1, "abandoned"));
        assertTrue(flushing.await(10, TimeUnit.SECONDS));
        engine.stop();
        run.get(10, TimeUnit.SECONDS);
        assertEquals(confirmed, rig.capture.confirmed(), "the abandoned batch stays unconfirmed");
        rig.store.beforeApply(documents -> { });
        rig.runToEnd();
        rig.assertConverged();
    }

    @Test
    void aLoneChangeIsFlushedWithoutWaitingForAFullBatch() throws Exception {
        rig.batchPolicy = new dev.flusso.api.BatchPolicy(1_000_000, Duration.ofMillis(50));
        Engine engine = rig.engine(CrashPlan.never(), false).build();
        CompletableFuture<Void> run = CompletableFuture.runAsync(engine::run);
        rig.database.transaction(tx -> tx.upsertParent(7, "alone"));
        DocumentId alone = new DocumentId(FakeDocuments.PARENTS, "7");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rig.store.entry(alone).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        engine.stop();
        run.get(10, TimeUnit.SECONDS);
        assertTrue(rig.store.entry(alone).isPresent(), "the lone change was flushed after max_delay");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlussoException("interrupted while flushing", e);
        }
    }
}
