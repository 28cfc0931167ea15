package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.BuildOutput;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.DocumentId;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.core.Engine;
import dev.flusso.core.Providers;
import dev.flusso.postgres.PostgresDocumentBuilder;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.InMemorySink;
import dev.flusso.testing.SinkStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The real engine, the polling capture found as the engine finds it, the real PostgreSQL builder and an in-memory
 * sink: inserts, updates, child changes, soft deletes and hard deletes reach the sink, and the sink ends equal to
 * what the builder makes of the current rows.
 */
@SuppressWarnings("try") // the resources run threads the test waits on by closing them
class EngineEndToEndTest {

    @Test
    void insertsUpdatesSoftAndHardDeletesReachTheSinkThroughTheSweep() throws Exception {
        TestSource source = new TestSource("INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 30) i",
                "INSERT INTO tags VALUES (1, 1, 'red'), (2, 2, 'blue')")
                .with("sweep_interval", "200ms");
        SinkStore store = new SinkStore();
        try (Running run = new Running(source, store)) {
            await(store, source, "after the backfill");
            source.database.execute("INSERT INTO items VALUES (31, 'new')", "INSERT INTO tags VALUES (3, 31, 'green')");
            source.database.execute("UPDATE items SET name = 'renamed' WHERE id = 3");
            source.database.execute("UPDATE tags SET tag = 'crimson' WHERE id = 1");
            source.database.execute("UPDATE items SET hidden = true WHERE id = 4");
            source.database.execute("DELETE FROM items WHERE id IN (5, 6)");
            await(store, source, "after inserts, updates, a soft delete and hard deletes");
        }
        int events = store.events().size();
        try (Running run = new Running(source, store)) {
            Thread.sleep(600);
            assertEquals(List.of(), store.events().subList(events, store.events().size()).stream()
                    .filter(e -> e.startsWith("write") || e.startsWith("delete")).toList(),
                    "a restart after everything was confirmed writes nothing again");
        }
        // Deleted while flusso is stopped: the first sweep of the next run finds it.
        source.database.execute("DELETE FROM items WHERE id = 7", "UPDATE items SET hidden = false WHERE id = 4");
        try (Running run = new Running(source, store)) {
            await(store, source, "after a deletion made while stopped");
        }
        source.drop();
    }

    @Test
    void theDeletionsTableCarriesChildDeletionsAndMovesToTheirOldParents() throws Exception {
        TestSource source = new TestSource("INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 5) i",
                "INSERT INTO tags VALUES (1, 1, 'red'), (2, 2, 'blue'), (3, 3, 'green')")
                .with("deletions_table", "flusso_deletions");
        SinkStore store = new SinkStore();
        try (Running run = new Running(source, store)) {
            await(store, source, "after the backfill");
            source.database.execute("DELETE FROM tags WHERE id = 1");
            source.database.execute("UPDATE tags SET item_id = 4 WHERE id = 2");
            source.database.execute("DELETE FROM items WHERE id = 5");
            source.database.execute("UPDATE items SET id = 50 WHERE id = 3");
            await(store, source, "after a child deletion, a child move, a root deletion and a key update");
            source.database.execute("TRUNCATE tags");
            await(store, source, "after a child truncation");
            dev.flusso.testing.process.Waits.until("confirmed old rows to be pruned from the deletions table",
                    Duration.ofSeconds(10), () -> count(source) == 0);
        }
        source.drop();
    }

    @Test
    void aCrashAfterTheFlushBeforeTheConfirmationRedeliversOnTheNextRun() throws Exception {
        TestSource source = new TestSource("INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 5) i");
        SinkStore store = new SinkStore();
        try (Running run = new Running(source, store, CrashPlan.never())) {
            await(store, source, "after the backfill");
        }
        CrashPlan crash = CrashPlan.atPoint("sink.flush.after", 1);
        Running crashing = new Running(source, store, crash);
        source.database.execute("UPDATE items SET name = 'crashed' WHERE id = 2");
        Throwable failure = crashing.awaitEnd(Duration.ofSeconds(30));
        assertEquals("sink.flush.after", crash.crashedAt(), "the run crashed after the sink applied the batch: " + failure);
        int events = store.events().size();
        try (Running run = new Running(source, store, CrashPlan.never())) {
            dev.flusso.testing.process.Waits.until("the unconfirmed change to be delivered again", Duration.ofSeconds(10),
                    () -> store.events().subList(events, store.events().size()).contains("write items/2"));
            await(store, source, "after the redelivery");
        }
        source.drop();
    }

    private static long count(TestSource source) {
        return ((Number) source.database.query("SELECT count(*) AS n FROM flusso_deletions").get(0).get("n")).longValue();
    }

    /** Waits until the sink's live documents are exactly what the builder makes of the current rows. */
    static void await(SinkStore store, TestSource source, String when) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, String> expected = Map.of();
        Map<String, String> actual = Map.of();
        try (PostgresDocumentBuilder builder = source.builder()) {
            while (System.nanoTime() < deadline) {
                expected = expected(builder, source);
                actual = store.documents().getOrDefault("items", Map.of());
                if (actual.equals(expected)) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        assertEquals(expected, actual, "the index equals the database " + when);
    }

    private static Map<String, String> expected(PostgresDocumentBuilder builder, TestSource source) {
        Map<String, String> documents = new TreeMap<>();
        List<DocumentId> ids = source.database.query("SELECT id FROM items").stream()
                .map(row -> new DocumentId("items", String.valueOf(row.get("id")))).toList();
        builder.build(ids, new BuildOutput() {
            @Override
            public void document(DocumentId id, String json) {
                documents.put(id.id(), json);
            }

            @Override
            public void deleted(DocumentId id) {
            }

            @Override
            public void failed(DocumentId id, String reason) {
                throw new AssertionError(id + ": " + reason);
            }
        });
        return documents;
    }

    /** An engine running the polling capture into an in-memory sink, on a thread of its own. */
    static final class Running implements AutoCloseable {
        private final Engine engine;
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Running(TestSource source, SinkStore store) {
            this(source, store, CrashPlan.never());
        }

        Running(TestSource source, SinkStore store, CrashPlan crashes) {
            ChangeCapture capture = Providers.load().capture("polling", ProviderContext.of(Settings.of("source", source.settings)),
                    source.indexes());
            assertEquals(PollingCapture.class, capture.getClass());
            engine = Engine.builder()
                    .capture(capture)
                    .documentBuilder(source.builder())
                    .sink(new InMemorySink(store, crashes))
                    .batchPolicy(new BatchPolicy(100, Duration.ofMillis(20)))
                    .build();
            thread = new Thread(() -> {
                try {
                    engine.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "test-engine");
            thread.start();
        }

        /** {@return the failure the run ended with, waiting for it to end by itself} */
        Throwable awaitEnd(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                engine.stop();
                thread.join(30_000);
                throw new AssertionError("the run did not end within " + timeout);
            }
            return failure.get();
        }

        @Override
        public void close() throws Exception {
            engine.stop();
            thread.join(30_000);
            if (failure.get() != null) {
                throw new AssertionError("the engine failed", failure.get());
            }
        }
    }
}
