package dev.flusso.sink.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import dev.flusso.api.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The {@link Sink} contract as tests: a sink module's test class extends this, supplies {@link #createSink()} and
 * {@link #reader()}, and switches off what its destination cannot do. Each test is named after the numbered rule
 * of the kit's README it checks; a failure names the sink and the rule.
 *
 * <p>Each test uses its own index ({@link #index()}), so the destination may be shared by all tests of a class.
 */
public abstract class SinkVerification {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final List<Sink> sinks = new ArrayList<>();
    private IndexDefinition index;

    /**
     * {@return a new sink onto the destination of this test class} Called one or more times per test; a second
     * call stands for the same deployment started again (on another machine). The kit closes every sink it gets.
     */
    protected abstract Sink createSink();

    /** {@return a reader of what the sinks of {@link #createSink()} made durable} */
    protected abstract DocumentReader reader();

    /** {@return whether a new sink instance sees the seeded flags and checkpoints an earlier one recorded} */
    protected boolean remembersStateAcrossInstances() {
        return true;
    }

    /** {@return whether the sink refuses a write or deletion older than the version it holds} */
    protected boolean refusesStaleVersions() {
        return true;
    }

    /** {@return whether the destination refuses a document its mapping does not allow, and reports it} */
    protected boolean rejectsInvalidDocuments() {
        return true;
    }

    /**
     * {@return whether {@code markUnseeded} rebuilds the index, so that after the next {@code markSeeded} only the
     * documents written in between remain} A stream that cannot take back what it wrote answers false.
     */
    protected boolean rebuildsIndexes() {
        return true;
    }

    /** {@return the index the kit writes to: strict mapping, a text {@code title} and a long {@code count}} */
    protected IndexDefinition index() {
        return index;
    }

    /** {@return a source that the kit's mapping refuses: {@code count} is not a number} */
    protected static String invalidSource() {
        return "{\"title\":\"poison\",\"count\":\"not a number\"}";
    }

    @BeforeEach
    void newIndex(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test").toLowerCase(Locale.ROOT);
        String name = "kit_" + method.replaceAll("[^a-z0-9]", "").substring(0, Math.min(20, method.length()))
                + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet();
        Map<String, Object> mapping = Map.of("dynamic", "strict", "properties", Map.of(
                "title", Map.of("type", "text"),
                "count", Map.of("type", "long")));
        Map<String, Object> settings = Map.of("index", Map.of("number_of_shards", 1, "number_of_replicas", 0));
        TableRef table = new TableRef("public", "kit_rows");
        index = new IndexDefinition(name, table, List.of("id"), java.util.Set.of(table), mapping, settings, "kitfingerprint1");
    }

    @AfterEach
    void closeSinks() {
        for (Sink sink : sinks) {
            sink.close();
        }
        sinks.clear();
    }

    @Test
    void rule1_ensureIndexIsIdempotentAndKeepsDocuments() {
        Sink sink = ready();
        write(sink, upsert("a", 1, "one", 1));
        assertClean(sink.flush(), 1);

        sink.ensureIndex(index);
        Sink again = ready();
        again.ensureIndex(index);

        assertStored("a", "one", 1, 1, "after ensureIndex was called again, on the same and on a new instance");
    }

    @Test
    void rule2_nothingIsReadableBeforeFlushAndAllOfItAfter() {
        Sink sink = ready();
        write(sink, upsert("a", 1, "one", 1), upsert("b", 1, "two", 2));

        assertEquals(Optional.empty(), read("a"), broke(2, "document 'a' was readable before flush() was called"));
        assertClean(sink.flush(), 2);

        assertStored("a", "one", 1, 2, "after flush() returned");
        assertStored("b", "two", 2, 2, "after flush() returned");
    }

    @Test
    void rule3_writingAnIdAgainReplacesTheDocument() {
        Sink sink = ready();
        write(sink, upsert("a", 1, "first", 1));
        assertClean(sink.flush(), 3);
        write(sink, upsert("a", 2, "second", 2), upsert("b", 2, "b-first", 1), upsert("b", 3, "b-second", 2));
        assertClean(sink.flush(), 3);

        assertStored("a", "second", 2, 3, "after a second write of the same id in a later flush");
        assertStored("b", "b-second", 2, 3, "after two writes of the same id in one flush");
    }

    @Test
    void rule4_deletionRemovesTheDocumentAndAbsentIdsAreNoError() {
        Sink sink = ready();
        write(sink, upsert("a", 1, "one", 1));
        assertClean(sink.flush(), 4);
        write(sink, Document.deletion(id("a"), 2), Document.deletion(id("never-written"), 2));
        assertClean(sink.flush(), 4);

        assertEquals(Optional.empty(), read("a"), broke(4, "document 'a' is still readable after its deletion was flushed"));
    }

    @Test
    void rule5_staleVersionsAreIgnoredInOneFlushAndAcrossFlushes() {
        assumeTrue(refusesStaleVersions(), "the sink does not refuse stale versions");
        Sink sink = ready();
        write(sink, upsert("a", 10, "newer", 10), upsert("a", 5, "stale", 5));
        assertClean(sink.flush(), 5);
        write(sink, upsert("a", 7, "late", 7), upsert("b", 10, "kept", 1));
        assertClean(sink.flush(), 5);
        write(sink, Document.deletion(id("b"), 3));
        assertClean(sink.flush(), 5);

        assertStored("a", "newer", 10, 5, "after older versions arrived in the same flush and in a later one");
        assertStored("b", "kept", 1, 5, "after a deletion older than the document arrived");
    }

    @Test
    void rule12_flushesUnderWayLandWhateverTheirOrderAndAnOlderOneNeverUndoesANewerOne() throws Exception {
        Sink sink = ready();
        write(sink, upsert("a", 1, "first", 1), upsert("b", 1, "b", 1));
        java.util.concurrent.CompletableFuture<FlushResult> older = sink.flushAsync();
        write(sink, upsert("a", 2, "second", 2), upsert("c", 2, "c", 1));
        java.util.concurrent.CompletableFuture<FlushResult> newer = sink.flushAsync();
        write(sink, upsert("d", 3, "d", 1));
        assertClean(newer.get(60, java.util.concurrent.TimeUnit.SECONDS), 12);
        assertClean(older.get(60, java.util.concurrent.TimeUnit.SECONDS), 12);

        assertEquals(Optional.empty(), read("d"), broke(12, "document 'd', written after the last flushAsync(), was readable"));
        assertStored("b", "b", 1, 12, "after the flush that carried it completed");
        assertStored("c", "c", 1, 12, "after the flush that carried it completed");
        if (refusesStaleVersions()) {
            assertStored("a", "second", 2, 12, "after two flushes under way at once carried versions 1 and 2");
        }
        assertClean(sink.flush(), 12);
        assertStored("d", "d", 1, 12, "after the next flush");
    }

    @Test
    void rule6_aRefusedDocumentIsReportedAndTheOthersAreDurable() {
        assumeTrue(rejectsInvalidDocuments(), "the destination refuses no document");
        Sink sink = ready();
        write(sink, upsert("good-1", 1, "fine", 1), Document.upsert(id("poison"), 1, invalidSource()), upsert("good-2", 1, "also", 2));

        FlushResult result = sink.flush();

        assertEquals(1, result.rejections().size(), broke(6, "flush() should report exactly the poison document, got " + result));
        Rejection rejection = result.rejections().get(0);
        assertEquals(id("poison"), rejection.document().id(), broke(6, "the rejection names the wrong document"));
        assertFalse(rejection.reason().isBlank(), broke(6, "the rejection of 'poison' gives no reason"));
        assertStored("good-1", "fine", 1, 6, "beside a refused document");
        assertStored("good-2", "also", 2, 6, "beside a refused document");
    }

    @Test
    void rule7_theSeededFlagStartsFalseAndIsRemembered() {
        Sink sink = ready();
        assertFalse(sink.isSeeded(index.name()), broke(7, "a new index is reported seeded"));

        sink.markSeeded(index.name());
        assertTrue(sink.isSeeded(index.name()), broke(7, "markSeeded() was not reflected by isSeeded()"));
        sink.ensureIndex(index);
        assertTrue(sink.isSeeded(index.name()), broke(7, "ensureIndex() of an unchanged index reset its seeded flag"));

        if (remembersStateAcrossInstances()) {
            assertTrue(ready().isSeeded(index.name()), broke(7, "a new sink instance does not see the seeded flag"));
        }
    }

    @Test
    void rule8_theBackfillCheckpointIsTheLastSaved() {
        Sink sink = ready();
        assertEquals(Optional.empty(), sink.backfillCheckpoint(index.name()), broke(8, "a new index has a checkpoint"));

        sink.saveCheckpoint(index.name(), "row-10");
        sink.saveCheckpoint(index.name(), "row-20");
        assertEquals(Optional.of("row-20"), sink.backfillCheckpoint(index.name()), broke(8, "the last saved checkpoint is not returned"));

        if (remembersStateAcrossInstances()) {
            assertEquals(Optional.of("row-20"), ready().backfillCheckpoint(index.name()),
                    broke(8, "a new sink instance does not see the checkpoint"));
        }
    }

    @Test
    void rule9_deadLettersAreAcceptedOrRefusedAsAdvertised() {
        Sink sink = ready();
        List<Rejection> letters = List.of(new Rejection(Document.upsert(id("poison"), 3, invalidSource()), "kit: refused"),
                Rejection.unbuilt(id("unbuilt"), 4, "kit: could not be built"));
        if (sink.supportsDeadLetters()) {
            sink.deadLetter(letters);
        } else {
            assertThrows(UnsupportedOperationException.class, () -> sink.deadLetter(letters),
                    broke(9, "deadLetter() must throw UnsupportedOperationException when supportsDeadLetters() is false"));
        }
    }

    @Test
    void rule10_markUnseededStartsARebuildThatKeepsOnlyWhatIsWrittenAgain() {
        Sink sink = ready();
        write(sink, upsert("kept", 1, "kept", 1), upsert("gone", 1, "gone", 1));
        assertClean(sink.flush(), 10);
        sink.saveCheckpoint(index.name(), "row-1");
        sink.markSeeded(index.name());

        sink.markUnseeded(index.name());
        assertFalse(sink.isSeeded(index.name()), broke(10, "markUnseeded() was not reflected by isSeeded()"));
        assertEquals(Optional.empty(), sink.backfillCheckpoint(index.name()), broke(10, "markUnseeded() kept the checkpoint"));
        if (remembersStateAcrossInstances()) {
            sink = ready();
            assertFalse(sink.isSeeded(index.name()), broke(10, "a new sink instance does not see the index unseeded"));
        }
        if (!rebuildsIndexes()) {
            return;
        }
        assertStored("gone", "gone", 1, 10, "while the rebuild runs: documents keep being served");
        write(sink, upsert("kept", 2, "kept again", 2));
        assertClean(sink.flush(), 10);
        sink.markSeeded(index.name());
        assertTrue(sink.isSeeded(index.name()), broke(10, "markSeeded() did not end the rebuild"));
        assertEquals(Optional.empty(), read("gone"), broke(10, "a document not written during the rebuild survived it"));
        assertStored("kept", "kept again", 2, 10, "after the rebuild");
        if (remembersStateAcrossInstances()) {
            assertTrue(ready().isSeeded(index.name()), broke(10, "a restart after the rebuild sees the index unseeded"));
            assertStored("kept", "kept again", 2, 10, "after a restart that followed the rebuild");
        }
    }

    @Test
    void rule11_aRecordedVersionIsDurableWithTheFlushAndOnlyThen() {
        Sink sink = ready();
        OptionalLong before = sink.recordedVersion(index.name());
        sink.recordVersion(41);
        write(sink, upsert("a", 41, "a", 1));
        sink.recordVersion(42);
        assertEquals(before, sink.recordedVersion(index.name()), broke(11, "recordedVersion() changed before the flush that makes it durable"));
        assertClean(sink.flush(), 11);
        OptionalLong after = sink.recordedVersion(index.name());
        if (after.isEmpty()) {
            return; // a sink that records no versions: the engine cannot tell a restored destination, and says so
        }
        assertEquals(OptionalLong.of(42), after, broke(11, "the flush did not record the highest version given"));
        sink.markSeeded(index.name());
        sink.saveCheckpoint(index.name(), "row-1");
        assertEquals(OptionalLong.of(42), sink.recordedVersion(index.name()), broke(11, "saving other state lost the version"));
        if (remembersStateAcrossInstances()) {
            assertEquals(OptionalLong.of(42), ready().recordedVersion(index.name()),
                    broke(11, "a new sink instance does not see the recorded version"));
        }
    }

    // --- helpers ---

    /** {@return a new sink, closed after the test, with the test's index ensured} */
    protected final Sink ready() {
        Sink sink = createSink();
        sinks.add(sink);
        sink.ensureIndex(index);
        return sink;
    }

    /** {@return the id of a document in the test's index} */
    protected final DocumentId id(String id) {
        return new DocumentId(index.name(), id);
    }

    /** {@return a kit document: {@code {"title": title, "count": count}} at the given version} */
    protected final Document upsert(String id, long version, String title, long count) {
        return Document.upsert(id(id), version, "{\"title\":\"" + title + "\",\"count\":" + count + "}");
    }

    private static void write(Sink sink, Document... documents) {
        for (Document document : documents) {
            sink.write(document);
        }
    }

    private Optional<String> read(String id) {
        return reader().read(id(id));
    }

    private void assertClean(FlushResult result, int rule) {
        assertTrue(result.rejections().isEmpty(), broke(rule, "flush() rejected valid documents: " + result.rejections()));
    }

    private void assertStored(String id, String title, long count, int rule, String when) {
        Optional<String> stored = read(id);
        if (stored.isEmpty()) {
            fail(broke(rule, "document '" + id + "' is not readable " + when));
        }
        JsonNode expected = tree("{\"title\":\"" + title + "\",\"count\":" + count + "}");
        assertEquals(expected, tree(stored.get()), broke(rule, "document '" + id + "' has the wrong content " + when));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the reader returned a source that is not JSON: " + json, e);
        }
    }

    private String broke(int rule, String detail) {
        return "sink of " + getClass().getSimpleName() + " broke rule " + rule + " of the sink kit (see its README), index '"
                + index.name() + "': " + detail;
    }
}
