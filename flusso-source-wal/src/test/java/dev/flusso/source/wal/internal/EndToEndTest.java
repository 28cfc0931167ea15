package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.core.Engine;
import dev.flusso.core.Providers;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.InMemorySink;
import dev.flusso.testing.SinkStore;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EndToEndTest {

    @Test
    void backfillsThenKeepsTheIndexInSyncThroughRootAndChildChanges() throws Exception {
        TestSource source = itemsAndTags(50, "INSERT INTO tags VALUES (1, 1, 'red'), (2, 2, 'blue')");
        SinkStore store = new SinkStore();
        try (Running run = new Running(source, store)) {
            await(store, source);
            source.database.execute("INSERT INTO items VALUES (51, 'new')", "INSERT INTO tags VALUES (3, 51, 'green')");
            source.database.execute("UPDATE items SET name = 'renamed' WHERE id = 3");
            source.database.execute("DELETE FROM items WHERE id = 4");
            source.database.execute("UPDATE items SET id = 500 WHERE id = 5");
            source.database.execute("UPDATE tags SET item_id = 6 WHERE id = 1");
            source.database.execute("DELETE FROM tags WHERE id = 2");
            await(store, source);
            source.database.execute("TRUNCATE tags");
            await(store, source);
        }
        // Redelivery across a restart changes nothing: the index still equals the database.
        try (Running run = new Running(source, store)) {
            source.database.execute("INSERT INTO tags VALUES (9, 7, 'late')");
            await(store, source);
        }
        source.drop();
    }

    @Test
    void aTerminatedWalsenderIsReconnectedToAndNothingIsLost() throws Exception {
        TestSource source = itemsAndTags(10);
        SinkStore store = new SinkStore();
        try (Running run = new Running(source, store)) {
            await(store, source);
            for (int round = 0; round < 3; round++) {
                String killed = "SELECT count(pg_terminate_backend(active_pid)) AS n FROM pg_replication_slots"
                        + " WHERE slot_name = '" + source.slot + "' AND active_pid IS NOT NULL";
                dev.flusso.testing.process.Waits.until("the walsender to be active", Duration.ofSeconds(30),
                        () -> ((Number) source.database.query(killed).get(0).get("n")).intValue() == 1);
                int n = round;
                source.database.execute("UPDATE items SET name = 'after kill " + n + "' WHERE id = " + (n + 1),
                        "INSERT INTO items VALUES (" + (100 + n) + ", 'new " + n + "')", "DELETE FROM items WHERE id = " + (n + 5));
                await(store, source);
            }
        }
        source.drop();
    }

    @Test
    void aSlotDroppedWhileStoppedIsRecreatedAndEveryIndexBackfilled() throws Exception {
        TestSource source = itemsAndTags(20);
        SinkStore store = new SinkStore();
        try (Running run = new Running(source, store)) {
            await(store, source);
        }
        // While flusso is stopped, the slot goes and changes are made: no stream will ever deliver them.
        source.database.query("SELECT pg_drop_replication_slot('" + source.settings.get("slot") + "')");
        source.database.execute("UPDATE items SET name = 'missed' WHERE id = 1", "DELETE FROM items WHERE id = 2",
                "INSERT INTO items VALUES (21, 'missed too')");
        try (Running run = new Running(source, store)) {
            await(store, source);
        }
        assertEquals(java.util.List.of("unseeded items", "seeded items", "unseeded items", "seeded items"),
                store.events().stream().filter(e -> e.contains("seeded")).toList(), "a rebuild on the first run (no slot yet) and again once the slot was gone");
        source.drop();
    }

    @Test
    void aRootTruncateEndsTheRunAndTheNextRunRebuildsTheIndexWithoutItsVanishedRows() throws Exception {
        TestSource source = itemsAndTags(20);
        SinkStore store = new SinkStore();
        Running run = new Running(source, store);
        await(store, source);
        source.database.execute("TRUNCATE items", "INSERT INTO items VALUES (3, 'reloaded'), (40, 'new')");

        Throwable failure = run.awaitFailure(Duration.ofSeconds(30));
        assertTrue(failure instanceof dev.flusso.api.RestartRequiredException
                && failure.getMessage().contains("table 'public.items', the root of index 'items', was truncated")
                && failure.getMessage().contains("the next run rebuilds every index"),
                "the run ends, asking to be started again, and says why: " + failure);
        assertEquals(-1, source.confirmedFlush(), "the slot is dropped, so the next start rebuilds");
        assertEquals(20, live(store).size(), "the documents of the truncated rows are still there until the rebuild");

        try (Running again = new Running(source, store)) {
            await(store, source);
        }
        assertEquals(java.util.List.of("unseeded items", "seeded items", "unseeded items", "seeded items"),
                seedings(store), "the second run rebuilt the index");
        source.drop();
    }

    @Test
    void aDestinationRestoredFromAnOlderBackupIsRebuiltInsteadOfMissingWhatTheSlotAlreadyPassed() throws Exception {
        TestSource source = itemsAndTags(30);
        SinkStore store = new SinkStore();
        SinkStore.Backup older;
        try (Running run = new Running(source, store)) {
            await(store, source);
            source.database.execute("UPDATE items SET name = 'before the backup' WHERE id = 1");
            await(store, source);
            older = store.backup();
            long beforeLater = source.currentLsn();
            source.database.execute("UPDATE items SET name = 'after the backup' WHERE id = 2", "DELETE FROM items WHERE id = 3",
                    "INSERT INTO items VALUES (31, 'new')");
            await(store, source);
            Waits.until("the slot to be confirmed past the later changes", Duration.ofSeconds(30),
                    () -> source.confirmedFlush() > beforeLater);
        }
        try (Running run = new Running(source, store)) {
            await(store, source);
        }
        assertEquals(List.of("unseeded items", "seeded items"), seedings(store),
                "a new slot backfills; a destination that kept up is not rebuilt on restart");

        store.restore(older);
        long slotBefore = source.confirmedFlush();
        try (Running run = new Running(source, store)) {
            await(store, source);
        }
        assertEquals(List.of("unseeded items", "seeded items", "unseeded items", "seeded items"), seedings(store),
                "the restored destination lacked changes the slot had passed: it was rebuilt");
        assertTrue(source.confirmedFlush() >= slotBefore, "from the same slot, resumed");
        try (Running run = new Running(source, store)) {
            await(store, source);
        }
        assertEquals(4, seedings(store).size(), "once rebuilt, it has kept up again");
        source.drop();
    }

    /** {@return a source with items 1 to {@code items} and their tags table, after the given statements} */
    private static TestSource itemsAndTags(int items, String... more) {
        List<String> statements = new java.util.ArrayList<>(List.of("CREATE TABLE items (id int PRIMARY KEY, name text)",
                "CREATE TABLE tags (id int PRIMARY KEY, item_id int, tag text)", "ALTER TABLE tags REPLICA IDENTITY FULL",
                "INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, " + items + ") i"));
        statements.addAll(List.of(more));
        return new TestSource(statements.toArray(String[]::new));
    }

    private static List<String> seedings(SinkStore store) {
        return store.events().stream().filter(e -> e.contains("seeded")).toList();
    }

    @Test
    void aWipedSinkWhoseSlotSurvivedIsBackfilledSoNoDocumentIsMissing() throws Exception {
        TestSource source = itemsAndTags(30);
        try (Running run = new Running(source, new SinkStore())) {
            Waits.until("the slot to confirm the backfill's position", Duration.ofSeconds(30), () -> source.confirmedFlush() > 0);
        }
        // The slot is ahead of everything the new destination holds: it holds nothing. Rows unchanged since the slot's
        // position would never be streamed again; only a backfill brings them.
        long slotBefore = source.confirmedFlush();
        source.database.execute("UPDATE items SET name = 'while stopped' WHERE id = 1", "DELETE FROM items WHERE id = 2");
        SinkStore wiped = new SinkStore();
        try (Running run = new Running(source, wiped)) {
            await(wiped, source);
        }
        assertTrue(source.confirmedFlush() >= slotBefore, "the surviving slot was resumed, not recreated");
        assertEquals(java.util.List.of("seeded items"), seedings(wiped),
                "the wiped destination is not seeded, so the engine backfilled it");
        source.drop();
    }

    /** Waits until the sink's live documents are exactly what the builder makes of the current rows. */
    private static void await(SinkStore store, TestSource source) throws InterruptedException {
        ItemsBuilder builder = new ItemsBuilder(source.database);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = Map.of();
        while (System.nanoTime() < deadline) {
            expected.clear();
            for (Map<String, Object> row : source.database.query("SELECT id FROM items")) {
                builder.build(List.of(new dev.flusso.api.DocumentId("items", String.valueOf(row.get("id")))),
                        new dev.flusso.api.BuildOutput() {
                            @Override
                            public void document(dev.flusso.api.DocumentId id, String json) {
                                expected.put(id.id(), json);
                            }

                            @Override
                            public void deleted(dev.flusso.api.DocumentId id) {
                            }

                            @Override
                            public void failed(dev.flusso.api.DocumentId id, String reason) {
                            }
                        });
            }
            actual = live(store);
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(expected, actual, "the index equals the database");
    }

    private static Map<String, String> live(SinkStore store) {
        Map<String, String> live = new LinkedHashMap<>();
        store.documents().getOrDefault("items", Map.of()).forEach((id, json) -> {
            if (json != null) {
                live.put(id, json);
            }
        });
        return live;
    }

    /** An engine running the wal capture, found as the engine finds it, into an in-memory sink. */
    private static final class Running implements AutoCloseable {
        private final Engine engine;
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Running(TestSource source, SinkStore store) {
            ChangeCapture capture = Providers.load().capture("wal", ProviderContext.of(Settings.of("source", source.settings)),
                    List.of(ItemsBuilder.INDEX));
            assertEquals(WalCapture.class, capture.getClass());
            engine = Engine.builder()
                    .capture(capture)
                    .documentBuilder(new ItemsBuilder(source.database))
                    .sink(new InMemorySink(store, CrashPlan.never()))
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

        /** {@return the failure the run ended with on its own, or null if it still runs after the wait} */
        Throwable awaitFailure(Duration wait) throws InterruptedException {
            thread.join(wait.toMillis());
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
