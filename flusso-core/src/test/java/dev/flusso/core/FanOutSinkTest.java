package dev.flusso.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.DocumentId;
import dev.flusso.api.RetriableException;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.FakeDocuments;
import dev.flusso.testing.InMemorySink;
import dev.flusso.testing.SinkStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanOutSinkTest {

    private final SinkStore search = new SinkStore();
    private final SinkStore archive = new SinkStore();

    private FanOutSink fanOut() {
        Map<String, dev.flusso.api.Sink> sinks = new LinkedHashMap<>();
        sinks.put("search", new InMemorySink(search, CrashPlan.never()));
        sinks.put("archive", new InMemorySink(archive, CrashPlan.never()));
        return new FanOutSink(sinks);
    }

    @Test
    void theRecordedVersionIsTheOneOfTheSinkFurthestBehindAndSinksThatRecordNoneAreLeftOut() {
        FanOutSink sink = fanOut();
        sink.recordVersion(7);
        sink.flush();
        SinkStore.Backup older = archive.backup();
        sink.recordVersion(9);
        sink.flush();
        assertEquals(java.util.OptionalLong.of(9), sink.recordedVersion(FakeDocuments.PARENTS));
        archive.restore(older);
        assertEquals(java.util.OptionalLong.of(7), sink.recordedVersion(FakeDocuments.PARENTS), "the restored sink decides");

        Map<String, dev.flusso.api.Sink> withStdoutLike = new LinkedHashMap<>();
        withStdoutLike.put("search", new InMemorySink(search, CrashPlan.never()));
        withStdoutLike.put("stream", new dev.flusso.api.ForwardingSink(new InMemorySink(new SinkStore(), CrashPlan.never())) {
            @Override
            public java.util.OptionalLong recordedVersion(String index) {
                return java.util.OptionalLong.empty();
            }
        });
        assertEquals(java.util.OptionalLong.of(9), new FanOutSink(withStdoutLike).recordedVersion(FakeDocuments.PARENTS),
                "a sink that cannot tell does not hide what the others recorded");
    }

    @Test
    void aFlushUnderWayCompletesWhenEverySinkHasAndARetriableFailureOfOneKeepsItsWritesForTheNext() throws Exception {
        Map<String, dev.flusso.api.Sink> sinks = new LinkedHashMap<>();
        sinks.put("search", new InMemorySink(search, CrashPlan.never()).withLanes(1));
        sinks.put("archive", new InMemorySink(archive, CrashPlan.never()).withLanes(2));
        FanOutSink sink = new FanOutSink(sinks);
        sinks.values().forEach(each -> each.ensureIndex(FakeDocuments.PARENTS_INDEX));
        archive.failNextFlushes(1);
        sink.write(dev.flusso.api.Document.upsert(new DocumentId(FakeDocuments.PARENTS, "1"), 1, "{}"));
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> sink.flushAsync().get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof RetriableException, "one sink away fails the flush retriably: " + failed.getCause());
        assertTrue(search.entry(new DocumentId(FakeDocuments.PARENTS, "1")).isPresent(), "the other sink flushed meanwhile");

        assertTrue(sink.flushAsync().get(10, java.util.concurrent.TimeUnit.SECONDS).rejections().isEmpty());
        assertTrue(archive.entry(new DocumentId(FakeDocuments.PARENTS, "1")).isPresent(), "the next flush carried the kept write");
        sink.close();
    }

    @Test
    void aSinkThatCannotStartItsFlushLeavesNoOtherFlushUnwatchedAndRefusalsAreReportedOnce() throws Exception {
        DocumentId refusedHere = new DocumentId(FakeDocuments.PARENTS, "2");
        search.refuse(refusedHere, "mapper_parsing_exception");
        int[] refusals = {1};
        Map<String, dev.flusso.api.Sink> sinks = new LinkedHashMap<>();
        sinks.put("search", new InMemorySink(search, CrashPlan.never()).withLanes(3));
        sinks.put("archive", new dev.flusso.api.ForwardingSink(new InMemorySink(archive, CrashPlan.never())) {
            @Override
            public java.util.concurrent.CompletableFuture<dev.flusso.api.FlushResult> flushAsync() {
                if (refusals[0]-- > 0) {
                    throw new RetriableException("archive unreachable (simulated)");
                }
                return delegate.flushAsync();
            }
        });
        FanOutSink sink = new FanOutSink(sinks);
        sinks.values().forEach(each -> each.ensureIndex(FakeDocuments.PARENTS_INDEX));
        sink.write(dev.flusso.api.Document.upsert(new DocumentId(FakeDocuments.PARENTS, "1"), 1, "{}"));
        sink.write(dev.flusso.api.Document.upsert(refusedHere, 1, "{}"));

        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> sink.flushAsync().get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof RetriableException, failed.getCause().toString());
        assertTrue(search.entry(new DocumentId(FakeDocuments.PARENTS, "1")).isPresent(),
                "the flush fails only once the sink that did start has landed");

        List<dev.flusso.api.Rejection> rejections = sink.flushAsync().get(10, java.util.concurrent.TimeUnit.SECONDS).rejections();
        assertEquals(List.of(refusedHere), rejections.stream().map(r -> r.document().id()).toList(),
                "the refusal of the sink that succeeded comes with the flush that succeeds for all: " + rejections);
        assertTrue(rejections.get(0).reason().startsWith("sink 'search': "), rejections.get(0).reason());
        assertTrue(archive.entry(new DocumentId(FakeDocuments.PARENTS, "1")).isPresent(), "the archive got its writes");
        sink.close();
    }

    @Test
    void theEngineSyncsEverySinkToTheOracle() {
        Rig rig = new Rig();
        rig.database.transaction(tx -> tx.upsertParent(1, "ada").upsertChild(10, 1, "x"));
        FanOutSink sink = fanOut();
        rig.engine(CrashPlan.never(), true).sink(sink).build().run();
        assertEquals(rig.database.expectedDocuments(), search.documents());
        assertEquals(rig.database.expectedDocuments(), archive.documents());
    }

    @Test
    void aFlushFailingInOneSinkFailsTheWholeFlushAndARetryCompletesIt() {
        FanOutSink sink = fanOut();
        sink.ensureIndex(FakeDocuments.PARENTS_INDEX);
        archive.failNextFlushes(1);
        sink.write(dev.flusso.api.Document.upsert(new DocumentId(FakeDocuments.PARENTS, "1"), 1, "{}"));
        assertThrows(RetriableException.class, sink::flush);
        assertEquals(1, search.documents().get(FakeDocuments.PARENTS).size(), "the first sink flushed");
        assertTrue(archive.documents().get(FakeDocuments.PARENTS).isEmpty(), "the second did not: the batch is not durable");
        sink.flush();
        assertEquals(1, archive.documents().get(FakeDocuments.PARENTS).size(), "the retry completes it");
    }

    @Test
    void rejectionsNameTheSinkThatRefused() {
        FanOutSink sink = fanOut();
        sink.ensureIndex(FakeDocuments.PARENTS_INDEX);
        DocumentId id = new DocumentId(FakeDocuments.PARENTS, "1");
        archive.refuse(id, "mapper_parsing_exception");
        sink.write(dev.flusso.api.Document.upsert(id, 1, "{}"));
        assertEquals(List.of("sink 'archive': mapper_parsing_exception"),
                sink.flush().rejections().stream().map(dev.flusso.api.Rejection::reason).toList());
    }

    @Test
    void anIndexIsSeededOnlyWhenEverySinkIsAndCheckpointsMustAgree() {
        FanOutSink sink = fanOut();
        search.markSeeded("parents");
        assertFalse(sink.isSeeded("parents"), "a sink added later still needs the backfill");
        sink.saveCheckpoint("children", "5");
        assertEquals("5", sink.backfillCheckpoint("children").orElseThrow());
        new InMemorySink(archive, CrashPlan.never()).saveCheckpoint("children", "9");
        assertTrue(sink.backfillCheckpoint("children").isEmpty(), "disagreeing checkpoints start the backfill over");
    }

    @Test
    void needsAtLeastOneSink() {
        assertThrows(IllegalArgumentException.class, () -> new FanOutSink(Map.of()));
    }

    @Test
    void aNonRetriableFlushErrorPropagatesFromTheSinkThatFailed() {
        Map<String, dev.flusso.api.Sink> sinks = new LinkedHashMap<>();
        sinks.put("search", new InMemorySink(search, CrashPlan.never()));
        sinks.put("broken", new InMemorySink(archive, CrashPlan.atPoint("sink.flush.before", 1)));
        FanOutSink sink = new FanOutSink(sinks);
        CrashPlan.SimulatedCrash crash = assertThrows(CrashPlan.SimulatedCrash.class, sink::flush);
        assertEquals("simulated crash at sink.flush.before", crash.getMessage());
    }
}
