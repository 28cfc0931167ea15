package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.Operation;
import dev.flusso.api.TableRef;
import dev.flusso.testing.RecordingEmitter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamingChangesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void streamsInsertsUpdatesDeletesAndTruncatesWithTheCommitLsnAsVersion() throws Exception {
        TestSource source = new TestSource(
                "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, ok boolean)",
                "CREATE SCHEMA other", "CREATE TABLE other.items (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE roots (id int PRIMARY KEY)");
        // Both tables are children here: a root's TRUNCATE ends the stream instead (see the next test).
        WalCapture capture = source.capture(TestSource.index("roots", "roots", "items", "other.items"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items VALUES (1, 'one', 0.0000001, true)",
                    "INSERT INTO other.items VALUES (1, 'other one')");
            source.database.execute("UPDATE items SET name = 'uno' WHERE id = 1");
            source.database.execute("DELETE FROM items WHERE id = 1");
            source.database.execute("TRUNCATE items, other.items");
            List<Change> changes = out.take(6, WAIT);

            Change insert = changes.get(0);
            assertEquals(Operation.INSERT, insert.operation());
            assertEquals(new TableRef("public", "items"), insert.table());
            assertEquals(Map.of("id", 1L), insert.key());
            assertEquals("0.0000001", insert.newValues().get("price"), "numeric keeps PostgreSQL's text");
            assertEquals(true, insert.newValues().get("ok"));
            Change otherInsert = changes.get(1);
            assertEquals(new TableRef("other", "items"), otherInsert.table(), "same name, other schema, no collision");
            assertEquals(insert.version(), otherInsert.version(), "one transaction, one version");

            Change update = changes.get(2);
            assertEquals(Operation.UPDATE, update.operation());
            assertEquals("uno", update.newValues().get("name"));
            assertTrue(update.oldValues().isEmpty(), "default replica identity: no old row when the key is unchanged");
            assertTrue(update.version() > insert.version(), "versions grow with commit order");

            Change delete = changes.get(3);
            assertEquals(Operation.DELETE, delete.operation());
            assertEquals(Map.of("id", 1L), delete.key());

            assertEquals(Operation.TRUNCATE, changes.get(4).operation());
            assertEquals(Operation.TRUNCATE, changes.get(5).operation());
            assertEquals(changes.get(4).version(), changes.get(5).version());
            assertTrue(changes.get(4).key().isEmpty());
            assertNull(streaming.failure.get());
        }
        source.drop();
    }

    @Test
    void aRootTruncateEndsTheStreamAfterWhatCameBeforeAndDropsTheSlot() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY, name text)",
                "CREATE TABLE tags (id int PRIMARY KEY, item_id int)");
        WalCapture capture = source.capture(TestSource.index("items", "items", "tags"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        Throwable failure;
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items VALUES (1, 'one')");
            source.database.execute("TRUNCATE tags, items");
            assertEquals(Operation.INSERT, out.take(1, WAIT).get(0).operation());
            failure = streaming.awaitFailure(WAIT.toMillis());
        }
        assertTrue(failure instanceof dev.flusso.api.FlussoException && !(failure instanceof dev.flusso.api.RetriableException)
                && failure.getMessage().contains("table 'public.items', the root of index 'items', was truncated")
                && failure.getMessage().contains("replication slot '" + source.slot + "' was dropped"), String.valueOf(failure));
        assertEquals(List.of(), out.drain(Duration.ofMillis(200)), "nothing of the truncating transaction is emitted");
        assertEquals(-1, source.confirmedFlush(), "the slot is gone, so the next start rebuilds every index");
        source.drop();
    }

    @Test
    void primaryKeyUpdateCarriesTheNewKeyAndTheOldKeyAmongOldValues() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY, name text)",
                "INSERT INTO items VALUES (1, 'one')");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("UPDATE items SET id = 2 WHERE id = 1");
            Change update = out.take(1, WAIT).get(0);
            assertEquals(Operation.UPDATE, update.operation());
            assertEquals(Map.of("id", 2L), update.key());
            assertEquals(Map.of("id", 1L), update.oldValues(), "only the old key: the rest of a 'K' tuple is not sent");
        }
        source.drop();
    }

    @Test
    void replicaIdentityFullGivesEveryOldColumnAndUnchangedToastedValuesAreAbsent() throws Exception {
        TestSource source = new TestSource("CREATE TABLE docs (id int PRIMARY KEY, parent int, body text)",
                "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL",
                "INSERT INTO docs VALUES (1, 10, repeat('x', 20000))");
        source.database.execute("CREATE TABLE kids (id int PRIMARY KEY, parent int, body text)",
                "ALTER TABLE kids REPLICA IDENTITY FULL", "INSERT INTO kids VALUES (1, 10, 'b')");
        WalCapture capture = source.capture(TestSource.index("docs", "docs", "kids"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("UPDATE docs SET parent = 11 WHERE id = 1");
            source.database.execute("UPDATE kids SET parent = 20 WHERE id = 1");
            List<Change> changes = out.take(2, WAIT);
            Change toasted = changes.get(0);
            assertEquals(11L, toasted.newValues().get("parent"));
            assertFalse(toasted.newValues().containsKey("body"), "the unchanged TOASTed value is not sent");
            Change full = changes.get(1);
            assertEquals(Map.of("id", 1L), full.key(), "the key is the primary key, not every identity column");
            assertEquals(10L, full.oldValues().get("parent"), "REPLICA IDENTITY FULL: old foreign key");
            assertEquals("b", full.oldValues().get("body"));
            assertEquals(20L, full.newValues().get("parent"));
        }
        source.drop();
    }

    @Test
    void keepsTheRelationCurrentWhenColumnsAreAddedAndDroppedMidStream() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY, a text, b text)");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items VALUES (1, 'a1', 'b1')");
            source.database.execute("ALTER TABLE items ADD COLUMN c int", "INSERT INTO items VALUES (2, 'a2', 'b2', 7)");
            source.database.execute("ALTER TABLE items DROP COLUMN a", "INSERT INTO items VALUES (3, 'b3', 8)");
            source.database.execute("ALTER TABLE items RENAME COLUMN b TO \"Quoted Name\"",
                    "UPDATE items SET c = 9 WHERE id = 3");
            List<Change> changes = out.take(4, WAIT);
            assertEquals(Map.of("id", 1L, "a", "a1", "b", "b1"), changes.get(0).newValues());
            assertEquals(Map.of("id", 2L, "a", "a2", "b", "b2", "c", 7L), changes.get(1).newValues());
            assertEquals(Map.of("id", 3L, "b", "b3", "c", 8L), changes.get(2).newValues());
            assertEquals(Map.of("id", 3L, "Quoted Name", "b3", "c", 9L), changes.get(3).newValues());
        }
        source.drop();
    }

    @Test
    void dropsChangesOfTablesNoIndexReads() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)", "CREATE TABLE noise (id int PRIMARY KEY)");
        source.database.execute("CREATE PUBLICATION flusso FOR ALL TABLES");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO noise VALUES (1)", "INSERT INTO items VALUES (1)");
            List<Change> changes = out.take(1, WAIT);
            assertEquals(new TableRef("public", "items"), changes.get(0).table());
            assertEquals(0L, ((WalPosition) changes.get(0).position()).ordinal(), "ordinals count emitted changes only");
            assertTrue(out.drain(Duration.ofMillis(500)).isEmpty());
        }
        source.drop();
    }
}
