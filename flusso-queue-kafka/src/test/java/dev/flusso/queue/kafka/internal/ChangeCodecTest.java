package dev.flusso.queue.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.TableRef;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ChangeCodecTest {

    private static final Position AT = new KafkaPosition("t", 0, 42);
    private static final TableRef TABLE = new TableRef("public", "orders");

    @Property(tries = 300)
    void everyChangeComesBackAsItWent(@ForAll("changes") Change change) {
        Change back = ChangeCodec.decode(ChangeCodec.encode(change), AT);
        assertEquals(change.operation(), back.operation());
        assertEquals(change.table(), back.table());
        assertEquals(change.version(), back.version());
        assertSameValues(change.key(), back.key());
        assertSameValues(change.oldValues(), back.oldValues());
        assertSameValues(change.newValues(), back.newValues());
        assertEquals(change.isSnapshot() ? change.position() : AT, back.position(),
                "a snapshot keeps its position; a live change is named by its record");
    }

    @Property(tries = 200)
    void truncatedOrCorruptedBytesAreRefusedWithAReason(@ForAll("changes") Change change, @ForAll("cuts") int cut) {
        byte[] bytes = ChangeCodec.encode(change);
        byte[] shorter = Arrays.copyOf(bytes, Math.max(1, Math.min(cut, bytes.length - 1)));
        UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(shorter, AT));
        assertTrue(!e.getMessage().isBlank(), "the refusal says why");
    }

    @Test
    void aFormatFromTheFutureIsRefusedByName() {
        byte[] bytes = ChangeCodec.encode(Change.insert(TABLE, Map.of("id", 1L), Map.of(), 1, AT));
        bytes[0] = 2;
        UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(bytes, AT));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
        assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(null, AT));
        assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(new byte[0], AT));
    }

    @Test
    void aValueOfAnUnknownTypeIsRefusedNamingTableAndColumn() {
        Change change = Change.insert(TABLE, Map.of("id", 1L), Map.of("placed", new Object()), 1, AT);
        FlussoException e = assertThrows(FlussoException.class, () -> ChangeCodec.encode(change));
        assertTrue(e.getMessage().contains("table 'public.orders', column 'placed'"), e.getMessage());
    }

    @Test
    void keysFollowTheRowForLiveChangesAndTheIndexForSnapshots() {
        byte[] one = ChangeCodec.key(Change.update(TABLE, Map.of("id", 1L), Map.of(), Map.of(), 5, AT));
        assertArrayEquals(one, ChangeCodec.key(Change.delete(TABLE, Map.of("id", 1L), Map.of(), 9, AT)),
                "the changes of one row share a key, so they stay in order");
        assertNotEquals(Arrays.toString(one), Arrays.toString(ChangeCodec.key(Change.delete(TABLE, Map.of("id", 2L), Map.of(), 9, AT))));
        assertArrayEquals(ChangeCodec.key(Change.snapshot(TABLE, Map.of("id", 1L), 3, new SnapshotPosition("orders", "1"))),
                ChangeCodec.key(Change.snapshot(TABLE, Map.of("id", 7L), 3, new SnapshotPosition("orders", "7"))),
                "one index's snapshot rows share a key, so their checkpoints advance in order");
    }

    @Test
    void aTypicalChangeIsSmall() {
        Change change = Change.update(TABLE, Map.of("id", 123_456L), Map.of("id", 123_456L, "customer_id", 77L, "status", "open"),
                Map.of("id", 123_456L, "customer_id", 78L, "status", "paid"), 0x1_6B37_4D28L, AT);
        int size = ChangeCodec.encode(change).length;
        System.out.println("a typical update (3 relating columns) encodes to " + size + " bytes");
        assertTrue(size < 100, "compact: " + size + " bytes");
    }

    private static void assertSameValues(Map<String, Object> expected, Map<String, Object> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "columns in order");
        expected.forEach((column, value) ->
                assertEquals(comparable(value), comparable(actual.get(column)), "column " + column + " keeps its value and type"));
    }

    /** Arrays compare by identity: compare their contents, also inside lists. */
    private static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return "bytes" + Arrays.toString(bytes);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ChangeCodecTest::comparable).toList();
        }
        return value == null ? "null" : value;
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(1, 400);
    }

    @Provide
    Arbitrary<Change> changes() {
        return ChangeArbitraries.changes(AT);
    }
}
