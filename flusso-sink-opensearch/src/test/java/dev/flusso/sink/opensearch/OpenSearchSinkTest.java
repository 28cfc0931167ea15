package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sink's behaviour on the shared test server, beyond the kit. */
class OpenSearchSinkTest {

    private static final String PREFIX = "it_";

    @Test
    void poisonDocumentIsReportedWithItsReasonAndTheRestIsWritten() {
        try (OpenSearchSink sink = TestCluster.sink(PREFIX)) {
            sink.ensureIndex(Definitions.items("poison", "f1"));
            sink.write(Definitions.item("poison", "1", 1, 1));
            sink.write(Document.upsert(new DocumentId("poison", "bad"), 1, "{\"title\":\"x\",\"count\":\"many\"}"));
            sink.write(Document.upsert(new DocumentId("poison", "unknown-field"), 1, "{\"colour\":\"red\"}"));
            sink.write(Definitions.item("poison", "2", 1, 2));

            FlushResult result = sink.flush();

            assertEquals(List.of("bad", "unknown-field"), result.rejections().stream().map(r -> r.document().id().id()).toList(),
                    "the mapping and strictness errors should be the rejections: " + result);
            assertTrue(result.rejections().get(0).reason().startsWith("mapper_parsing_exception"), "reason of 'bad': " + result);
            assertTrue(result.rejections().get(1).reason().startsWith("strict_dynamic_mapping_exception"), "reason of 'unknown-field': " + result);
            assertTrue(TestCluster.read(PREFIX, new DocumentId("poison", "1")).isPresent(), "good document 1 should be written");
            assertTrue(TestCluster.read(PREFIX, new DocumentId("poison", "2")).isPresent(), "good document 2 should be written");
            assertEquals(FlushResult.clean(), sink.flush(), "a rejection is reported once, not again by the next flush");
        }
    }

    @Test
    void severalHostsServeEveryFlushWhenOneIsDown() {
        String live = TestCluster.server().url().toString();
        String dead = "http://127.0.0.1:" + dev.flusso.testing.process.FreePorts.pick();
        SinkConfig config = TestCluster.config("hosts_", Map.of("url", List.of(dead, live)));
        try (OpenSearchSink sink = TestCluster.sink(config)) {
            sink.ensureIndex(Definitions.items("hosts", "f1"));
            for (int i = 0; i < 6; i++) {
                sink.write(Definitions.item("hosts", Integer.toString(i), 1, i));
                assertEquals(FlushResult.clean(), sink.flush(), "flush " + i + " with " + dead + " down");
            }
            for (int i = 0; i < 6; i++) {
                assertTrue(TestCluster.read("hosts_", new DocumentId("hosts", Integer.toString(i))).isPresent(), "document " + i);
            }
        }
    }

    @Test
    void deadLettersKeepIdIndexReasonVersionAndSource() {
        try (OpenSearchSink sink = TestCluster.sink("dl_")) {
            sink.ensureIndex(Definitions.items("orders", "f1"));
            sink.write(Document.upsert(new DocumentId("orders", "7"), 42, "{\"count\":\"seven\"}"));
            List<Rejection> rejections = sink.flush().rejections();
            assertEquals(1, rejections.size(), "one rejection expected");

            sink.deadLetter(rejections);
            sink.deadLetter(rejections);

            TestCluster.http().refresh("dl_flusso_dead_letters");
            JsonNode hits = TestCluster.json(TestCluster.http().get("/dl_flusso_dead_letters/_search"), "dead letters").path("hits");
            assertEquals(1, hits.path("total").path("value").asInt(), "a redelivered dead letter must not duplicate: " + hits);
            JsonNode letter = hits.path("hits").get(0).path("_source");
            assertEquals("orders", letter.path("index").asText());
            assertEquals("7", letter.path("id").asText());
            assertEquals(42, letter.path("version").asLong());
            assertTrue(letter.path("reason").asText().startsWith("mapper_parsing_exception"), "reason: " + letter);
            assertEquals("{\"count\":\"seven\"}", letter.path("source").asText(), "the source, to re-drive it later");
        }
    }

    @Test
    void deadLettersAreReadBackLatestPerDocumentAndForgottenOnceReDriven() {
        try (OpenSearchSink sink = TestCluster.sink("dlr_")) {
            assertEquals(List.of(), sink.deadLetters("orders", 10), "no dead-letter index yet: none");
            sink.ensureIndex(Definitions.items("orders", "f1"));
            sink.deadLetter(List.of(new Rejection(Document.upsert(new DocumentId("orders", "7"), 40, "{\"count\":\"x\"}"), "first"),
                    new Rejection(Document.upsert(new DocumentId("orders", "8"), 41, "{\"count\":\"y\"}"), "second")));
            sink.deadLetter(List.of(new Rejection(Document.upsert(new DocumentId("orders", "7"), 44, "{\"count\":\"z\"}"), "again"),
                    Rejection.unbuilt(new DocumentId("other", "7"), 1, "another index")));

            List<Rejection> letters = sink.deadLetters("orders", 10);
            assertEquals(List.of("8", "7"), letters.stream().map(r -> r.document().id().id()).toList(), "oldest first: " + letters);
            assertEquals(44, letters.get(1).document().version(), "the latest letter of document 7");
            assertEquals("again", letters.get(1).reason());

            sink.forgetDeadLetters(List.of(new DocumentId("orders", "7")));
            assertEquals(List.of("8"), sink.deadLetters("orders", 10).stream().map(r -> r.document().id().id()).toList(),
                    "every letter of document 7 is gone, and only of that index");
            assertEquals(1, sink.deadLetters("other", 10).size());
        }
    }

    @Test
    void checkAndStatusDescribeTheClusterAndEachIndex() {
        try (OpenSearchSink sink = TestCluster.sink("status_")) {
            List<dev.flusso.api.Finding> findings = sink.check();
            assertEquals(dev.flusso.api.Finding.Severity.OK, findings.get(0).severity(), findings.toString());
            assertTrue(findings.get(0).message().contains(TestCluster.server().version()), findings.toString());
            assertEquals("not created", sink.status("items").get("state"));

            sink.ensureIndex(Definitions.items("items", "f1"));
            sink.write(Definitions.item("items", "1", 1, 1));
            sink.write(Definitions.item("items", "2", 1, 2));
            sink.flush();
            TestCluster.http().refresh("status_items");
            Map<String, Object> status = sink.status("items");
            assertEquals("status_items", status.get("alias"));
            assertEquals(false, status.get("seeded"));
            assertEquals(2L, status.get("documents"), status.toString());
            sink.markSeeded("items");
            assertEquals(true, sink.status("items").get("seeded"));
        }
    }

    @Test
    void deletionStaysDeletedWhenAnOlderWriteArrivesLater() {
        try (OpenSearchSink sink = TestCluster.sink(PREFIX)) {
            sink.ensureIndex(Definitions.items("tombstones", "f1"));
            sink.write(Definitions.item("tombstones", "1", 5, 1));
            sink.flush();
            sink.write(Document.deletion(new DocumentId("tombstones", "1"), 9));
            sink.flush();
            TestCluster.http().refresh(PREFIX + "tombstones");

            sink.write(Definitions.item("tombstones", "1", 5, 1));
            sink.write(Definitions.item("tombstones", "1", 8, 1));
            assertEquals(FlushResult.clean(), sink.flush(), "stale writes after a deletion are no rejections");

            assertEquals(Optional.empty(), TestCluster.read(PREFIX, new DocumentId("tombstones", "1")),
                    "writes older than the deletion must not bring the document back");
            JsonNode settings = TestCluster.json(TestCluster.http().get("/" + PREFIX + "tombstones/_settings"), "settings");
            assertEquals(Generations.GC_DELETES, settings.elements().next().path("settings").path("index").path("gc_deletes").asText(),
                    "tombstones must be kept for " + Generations.GC_DELETES);
        }
    }

    @Test
    void seededStateAndCheckpointLiveInTheDestination() {
        IndexDefinition users = Definitions.items("users", "f1");
        try (OpenSearchSink first = TestCluster.sink("seed_")) {
            first.ensureIndex(users);
            first.saveCheckpoint("users", "page-3");
            first.markSeeded("users");
        }
        try (OpenSearchSink elsewhere = TestCluster.sink("seed_"); OpenSearchSink otherDeployment = TestCluster.sink("seed2_")) {
            elsewhere.ensureIndex(users);
            otherDeployment.ensureIndex(users);

            assertTrue(elsewhere.isSeeded("users"), "a sink on another machine should see the index seeded");
            assertFalse(otherDeployment.isSeeded("users"), "a fresh destination (another prefix) must be backfilled");
            assertEquals(Optional.empty(), otherDeployment.backfillCheckpoint("users"), "a fresh destination has no checkpoint");
        }
    }

    @Test
    void theRecordedVersionIsDurableWithTheFlushForEveryIndexAndSurvivesStateChanges() {
        IndexDefinition users = Definitions.items("users", "f1");
        IndexDefinition teams = Definitions.items("teams", "f1");
        try (OpenSearchSink first = TestCluster.sink("recorded_")) {
            first.ensureIndex(users);
            first.ensureIndex(teams);
            assertEquals(java.util.OptionalLong.empty(), first.recordedVersion("users"), "nothing recorded yet");
            first.write(Definitions.item("users", "1", 1, 40));
            first.recordVersion(40);
            assertEquals(java.util.OptionalLong.empty(), first.recordedVersion("users"), "not before the flush");
            first.flush();
            first.recordVersion(45);
            first.flush();
            first.markSeeded("users");
            first.saveCheckpoint("teams", "page-1");
        }
        try (OpenSearchSink elsewhere = TestCluster.sink("recorded_")) {
            elsewhere.ensureIndex(users);
            elsewhere.ensureIndex(teams);
            assertEquals(java.util.OptionalLong.of(45), elsewhere.recordedVersion("users"),
                    "read back on another machine, kept through the seeding that saved the state after it");
            assertEquals(java.util.OptionalLong.of(45), elsewhere.recordedVersion("teams"),
                    "an index the batch did not touch is as current: nothing up to the version was left out of it");
            assertEquals(Optional.of("page-1"), elsewhere.backfillCheckpoint("teams"), "the partial update kept the rest");
            elsewhere.markUnseeded("users");
            assertEquals(java.util.OptionalLong.of(45), elsewhere.recordedVersion("users"), "a rebuild keeps it too");
            assertEquals(45L, elsewhere.status("users").get("recorded_version"), "and status shows it");
        }
    }

    @Test
    void seedingRefreshesRarelyAndRefreshIntervalAppliesAfterwards() {
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config("refresh_", Map.of("refresh_interval", "7s")))) {
            sink.ensureIndex(Definitions.items("events", "f1"));
            assertEquals("-1", refreshInterval("refresh_events"), "while seeding");

            sink.markSeeded("events");

            assertEquals("7s", refreshInterval("refresh_events"), "after seeding");
        }
    }

    @Test
    void caughtUpMakesASeededIndexsWritesSearchableAtOnceAndOnlyWhenAsked() throws Exception {
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config("vis_", Map.of("refresh_interval", "60s")));
                OpenSearchSink quiet = TestCluster.sink(TestCluster.config("vis_", Map.of("refresh_interval", "60s",
                        "refresh_when_caught_up", false)))) {
            sink.ensureIndex(Definitions.items("events", "f1"));
            sink.markSeeded("events");
            quiet.ensureIndex(Definitions.items("events", "f1"));

            sink.write(Definitions.item("events", "1", 1, 1));
            assertEquals(FlushResult.clean(), sink.flushAsync().get(30, TimeUnit.SECONDS));
            sink.caughtUp();
            assertTrue(awaitCount("vis_events", 1, Duration.ofSeconds(5)),
                    "a flush that left the engine caught up is searchable well before the 60 s refresh interval");

            quiet.write(Definitions.item("events", "2", 1, 2));
            assertEquals(FlushResult.clean(), quiet.flush());
            quiet.caughtUp();
            assertFalse(awaitCount("vis_events", 2, Duration.ofSeconds(2)),
                    "with refresh_when_caught_up = false the index's own refresh interval applies");
        }
    }

    @Test
    void flushesInFlightLandTogetherAndAFailedOnesWritesGoOutWithTheNext() throws Exception {
        try (OpenSearchSink sink = TestCluster.sink("lanes_")) {
            sink.ensureIndex(Definitions.items("items", "f1"));
            List<java.util.concurrent.CompletableFuture<FlushResult>> flights = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 50; j++) {
                    sink.write(Definitions.item("items", i + "-" + j, 1, j));
                }
                flights.add(sink.flushAsync());
            }
            for (var flight : flights) {
                assertEquals(FlushResult.clean(), flight.get(30, TimeUnit.SECONDS));
            }
            TestCluster.http().refresh("lanes_items");
            assertEquals(200, count("lanes_items"), "every document of the four flushes under way at once");
        }
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config("kept_", Map.of("max_retries", 0)))) {
            sink.ensureIndex(Definitions.items("items", "f1"));
            sink.markSeeded("items");
            TestCluster.http().put("/kept_items/_settings", "{\"index.blocks.write\": true}");
            sink.write(Definitions.item("items", "kept", 1, 1));
            java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> sink.flushAsync().get(30, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof dev.flusso.api.RetriableException,
                    "an index blocked for writes is retriable: " + failed.getCause());
            TestCluster.http().put("/kept_items/_settings", "{\"index.blocks.write\": null}");

            assertEquals(FlushResult.clean(), sink.flushAsync().get(30, TimeUnit.SECONDS), "the next flush, with no new writes");
            assertTrue(TestCluster.read("kept_", new DocumentId("items", "kept")).isPresent(),
                    "the failed flush's document went out with the next");
        }
    }

    private static long count(String index) {
        return TestCluster.json(TestCluster.http().get("/" + index + "/_count"), "count of " + index).path("count").asLong();
    }

    private static boolean awaitCount(String index, long expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(index) >= expected) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void schemaChangeBuildsANewGenerationAndSwapsTheAliasWithoutAGap() throws Exception {
        String alias = "gen_products";
        try (OpenSearchSink sink = TestCluster.sink("gen_")) {
            sink.ensureIndex(Definitions.items("products", "aaaa1111"));
            for (int i = 0; i < 50; i++) {
                sink.write(Definitions.item("products", "p" + i, 1, i));
            }
            sink.flush();
            sink.markSeeded("products");
        }
        try (OpenSearchSink sink = TestCluster.sink("gen_"); AliasWatcher watcher = AliasWatcher.start(alias)) {
            sink.ensureIndex(Definitions.items("products", "bbbb2222"));
            assertFalse(sink.isSeeded("products"), "the new generation must be backfilled");
            assertEquals(List.of("gen_products_aaaa1111"), aliasHolders(alias), "the old generation serves during the backfill");
            for (int i = 0; i < 50; i++) {
                sink.write(Definitions.item("products", "p" + i, 2, i * 10));
            }
            sink.flush();
            watcher.awaitSearches(20);

            sink.markSeeded("products");
            watcher.awaitSearches(20);

            assertEquals(List.of("gen_products_bbbb2222"), aliasHolders(alias), "the alias moved to the new generation");
            assertEquals(404, TestCluster.http().get("/gen_products_aaaa1111").status(), "the old generation is removed");
            assertEquals(List.of(), watcher.gaps(), "every search through the alias during the swap found the 50 documents");
            assertTrue(sink.isSeeded("products"));
        }
    }

    @Test
    void aRebuildKeepsTheServingGenerationCurrentUntilTheSwapAndTheNewOneKeepsOnlyWhatWasWrittenAgain() {
        String prefix = "rb_";
        DocumentId first = new DocumentId("products", "p0");
        DocumentId second = new DocumentId("products", "p1");
        try (OpenSearchSink sink = TestCluster.sink(prefix)) {
            sink.ensureIndex(Definitions.items("products", "cccc3333"));
            for (int i = 0; i < 10; i++) {
                sink.write(Definitions.item("products", "p" + i, 1, i));
            }
            sink.flush();
            sink.markSeeded("products");

            sink.markUnseeded("products");
            assertEquals(List.of("rb_products_cccc3333"), aliasHolders("rb_products"), "the old generation serves");
            // Live changes during the rebuild: searches through the alias see them at once.
            sink.write(Definitions.item("products", "p0", 5, 500));
            sink.write(Document.deletion(second, 5));
            sink.flush();
            assertEquals(Optional.of("{\"title\":\"item p0\",\"count\":500}"), TestCluster.read(prefix, first),
                    "an update during the rebuild reaches the serving generation");
            assertEquals(Optional.empty(), TestCluster.read(prefix, second), "a deletion during the rebuild reaches it too");

            // The backfill's rows carry an older version than the live changes: those stay as the live changes left them.
            // p9 is gone from the source, so the backfill does not write it again.
            for (int i = 0; i < 9; i++) {
                sink.write(Definitions.item("products", "p" + i, 2, i));
            }
            sink.flush();
            sink.markSeeded("products");

            assertEquals(List.of("rb_products_cccc3333_r1"), aliasHolders("rb_products"), "the alias moved to the rebuilt generation");
            assertEquals(404, TestCluster.http().get("/rb_products_cccc3333").status(), "the old generation is removed");
            assertEquals(Optional.of("{\"title\":\"item p0\",\"count\":500}"), TestCluster.read(prefix, first),
                    "the live update outranks the backfill's older row");
            assertEquals(Optional.empty(), TestCluster.read(prefix, second), "the live deletion outranks the backfill's older row");
            TestCluster.http().refresh("rb_products");
            assertEquals(8, TestCluster.json(TestCluster.http().get("/rb_products/_count"), "count").path("count").asInt(),
                    "p0 to p8 written again, less the deleted p1; p9, not written again, is gone with the old generation");
        }
    }

    @Test
    void aFirstStartFillsItsEmptyGenerationAndAHalfFilledOneNeverSeededGetsASuccessorButNoCopies() {
        try (OpenSearchSink sink = TestCluster.sink("fresh_")) {
            sink.ensureIndex(Definitions.items("products", "dddd4444"));
            // A first start: nothing was ever written, and the source starts afresh.
            sink.markUnseeded("products");
            sink.write(Definitions.item("products", "p0", 1, 0));
            sink.flush();
            assertEquals(List.of("fresh_products_dddd4444"), aliasHolders("fresh_products"),
                    "no successor beside a generation that never held a document");
            assertEquals(404, TestCluster.http().get("/fresh_products_dddd4444_r1/_count").status(), "no _r1 was created");

            // A crash before the backfill completed, and the source starts afresh again: rows deleted meanwhile may
            // linger in the half-filled generation, so a successor is built, and the never-seeded one gets no copies.
            sink.markUnseeded("products");
            sink.write(Definitions.item("products", "p1", 2, 1));
            sink.flush();
            TestCluster.http().refresh("fresh_products_dddd4444*");
            assertEquals(1, TestCluster.json(TestCluster.http().get("/fresh_products_dddd4444/_count"), "count").path("count").asInt(),
                    "the generation that never held a complete backfill gets no copies");
            assertEquals(1, TestCluster.json(TestCluster.http().get("/fresh_products_dddd4444_r1/_count"), "count").path("count").asInt());
            sink.markSeeded("products");
            assertEquals(List.of("fresh_products_dddd4444_r1"), aliasHolders("fresh_products"));
        }
    }

    private static List<String> aliasHolders(String alias) {
        List<String> holders = new java.util.ArrayList<>();
        TestCluster.json(TestCluster.http().get("/_alias/" + alias), "alias").fieldNames().forEachRemaining(holders::add);
        return holders;
    }

    private static String refreshInterval(String index) {
        JsonNode settings = TestCluster.json(TestCluster.http().get("/" + index + "/_settings"), "settings of " + index);
        return settings.elements().next().path("settings").path("index").path("refresh_interval").asText();
    }
}
