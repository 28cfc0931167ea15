package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.api.BatchPolicy;
import dev.flusso.api.BuildOutput;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Position;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.Resolution;
import dev.flusso.api.RetryPolicy;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.api.TableRef;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.core.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The real engine over the real server, with the sink made by its provider: a document the strict mapping refuses
 * among good ones, under each {@code on_error} policy.
 */
class EnginePoliciesTest {

    private static final TableRef TABLE = new TableRef("public", "items");
    private static final String INDEX = "items";
    private static final int CHANGES = 9;
    /** Row 5's {@code count} is text, which the {@code long} field of the strict mapping refuses. */
    private static final long POISON = 5;
    private static final BatchPolicy BATCHES_OF_THREE = new BatchPolicy(3, Duration.ofMillis(50));

    @Test
    void stopFailsTheRunAndConfirmsNothingFromThePoisonsBatchOn() {
        Capture capture = new Capture();
        assertThrows(FlussoException.class, () -> engine("pol_stop_", RejectionPolicy.STOP, capture).run(),
                "a refused document under 'stop' must fail the run");

        // The poison's batch holds its position: confirming that batch, or any later one, would confirm past it.
        assertTrue(capture.confirmed().stream().allMatch(position -> position < POISON),
                "nothing at or past the poison's position (" + POISON + ") may be confirmed, got " + capture.confirmed());
    }

    @Test
    void skipContinuesWithTheGoodDocumentsAndLeavesThePoisonOut() {
        Capture capture = new Capture();
        engine("pol_skip_", RejectionPolicy.SKIP, capture).run();

        assertEquals(Optional.of((long) CHANGES - 1), capture.confirmed().stream().max(Long::compare),
                "under 'skip' every change is confirmed, up to the last");
        TestCluster.http().refresh("pol_skip_" + INDEX);
        assertEquals(goodIds(), searchableIds("pol_skip_" + INDEX), "every good document is searchable, the poison is not");
    }

    @Test
    void deadLetterContinuesAndKeepsThePoisonWithItsIdIndexReasonAndVersion() {
        Capture capture = new Capture();
        engine("pol_dl_", RejectionPolicy.DEAD_LETTER, capture).run();

        assertEquals(Optional.of((long) CHANGES - 1), capture.confirmed().stream().max(Long::compare),
                "under 'dead_letter' every change is confirmed, up to the last");
        TestCluster.http().refresh("pol_dl_" + INDEX);
        assertEquals(goodIds(), searchableIds("pol_dl_" + INDEX), "every good document is searchable, the poison is not");
        TestCluster.http().refresh("pol_dl_flusso_dead_letters");
        JsonNode hits = TestCluster.json(TestCluster.http().get("/pol_dl_flusso_dead_letters/_search"), "dead letters")
                .path("hits").path("hits");
        assertEquals(1, hits.size(), "the dead-letter index holds the poison document only: " + hits);
        JsonNode letter = hits.get(0).path("_source");
        assertEquals(INDEX, letter.path("index").asText(), "dead letter's index: " + letter);
        assertEquals(Long.toString(POISON), letter.path("id").asText(), "dead letter's id: " + letter);
        assertEquals(version(POISON), letter.path("version").asLong(), "dead letter's version: " + letter);
        assertTrue(letter.path("reason").asText().startsWith("mapper_parsing_exception"), "dead letter's reason: " + letter);
    }

    private static Engine engine(String prefix, RejectionPolicy policy, Capture capture) {
        Settings settings = Settings.of("sinks.search", Map.of("type", "opensearch", "url", TestCluster.server().url().toString(),
                "prefix", prefix, "max_retries", 0));
        return Engine.builder()
                .capture(capture)
                .documentBuilder(new Builder())
                .sink(new OpenSearchSinkProvider().create(ProviderContext.of(settings)))
                .batchPolicy(BATCHES_OF_THREE)
                .failurePolicies(new FailurePolicies(policy, Map.of(), new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1))))
                .build();
    }

    private static Set<String> goodIds() {
        Set<String> ids = new java.util.TreeSet<>();
        for (long row = 0; row < CHANGES; row++) {
            if (row != POISON) {
                ids.add(Long.toString(row));
            }
        }
        return ids;
    }

    private static Set<String> searchableIds(String alias) {
        JsonNode hits = TestCluster.json(TestCluster.http().get("/" + alias + "/_search?size=100"), "search of " + alias)
                .path("hits").path("hits");
        Set<String> ids = new java.util.TreeSet<>();
        hits.forEach(hit -> ids.add(hit.path("_id").asText()));
        return ids;
    }

    /** The version of row {@code n}'s change: its log position, offset so it is not the row number. */
    private static long version(long row) {
        return 100 + row;
    }

    /** A position in the test's change log. */
    private record Seq(long index) implements Position {
    }

    /** Inserts rows 0 to {@value #CHANGES} - 1, one change each, then ends; records what is confirmed. */
    private static final class Capture implements ChangeCapture {
        private final List<Long> confirmed = new ArrayList<>();

        @Override
        public void snapshot(SnapshotRequest request, ChangeEmitter out) {
            // The table is empty when the backfill runs: every row arrives as a live change.
        }

        @Override
        public void stream(ChangeEmitter out) throws InterruptedException {
            for (long row = 0; row < CHANGES; row++) {
                out.put(Change.insert(TABLE, Map.of("id", row), Map.of("id", row), version(row), new Seq(row)));
            }
        }

        @Override
        public synchronized void confirm(Position upTo) {
            confirmed.add(((Seq) upTo).index());
        }

        synchronized List<Long> confirmed() {
            return List.copyOf(confirmed);
        }
    }

    /** One document per row; the poison row's {@code count} is text. */
    private static final class Builder implements DocumentBuilder {
        @Override
        public List<IndexDefinition> indexes() {
            return List.of(Definitions.items(INDEX, "f1"));
        }

        @Override
        public void resolve(List<Change> changes, Set<String> indexes, Resolution out) {
            for (Change change : changes) {
                out.affects(new DocumentId(INDEX, change.key().get("id").toString()), change.version());
            }
        }

        @Override
        public void build(Collection<DocumentId> documents, BuildOutput out) {
            for (DocumentId id : documents) {
                boolean poison = id.id().equals(Long.toString(POISON));
                out.document(id, "{\"title\":\"row " + id.id() + "\",\"count\":" + (poison ? "\"five\"" : id.id()) + "}");
            }
        }
    }
}
