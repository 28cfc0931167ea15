package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.FlussoException;
import dev.flusso.api.TableRef;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {

    private final PgOutputDecoder decoder = new PgOutputDecoder();

    @Test
    void decodesBeginAndCommitPositions() throws IOException {
        Message.Begin begin = (Message.Begin) decoder.decode(message(out -> {
            out.writeByte('B');
            out.writeLong(0x1_0000_0010L);
            out.writeLong(0);
            out.writeInt(42);
        }));
        assertEquals(new Message.Begin(0x1_0000_0010L, 42), begin);
        Message.Commit commit = (Message.Commit) decoder.decode(message(out -> {
            out.writeByte('C');
            out.writeByte(0);
            out.writeLong(0x1_0000_0010L);
            out.writeLong(0x1_0000_0040L);
            out.writeLong(0);
        }));
        assertEquals(new Message.Commit(0x1_0000_0010L, 0x1_0000_0040L), commit);
    }

    @Test
    void decodesRowsWithTheRelationTheyWereWrittenWith() throws IOException {
        decoder.decode(relation(7, "id", "note"));
        Message.Row insert = (Message.Row) decoder.decode(message(out -> {
            out.writeByte('I');
            out.writeInt(7);
            out.writeByte('N');
            tuple(out, "t:5", "n");
        }));
        assertEquals(new TableRef("shop", "items"), insert.relation().table());
        assertEquals(5L, insert.row().get("id"));
        assertTrue(insert.row().containsKey("note") && insert.row().get("note") == null, "NULL is kept as null");

        decoder.decode(relation(7, "id", "note", "extra"));
        Message.Row update = (Message.Row) decoder.decode(message(out -> {
            out.writeByte('U');
            out.writeInt(7);
            out.writeByte('K');
            tuple(out, "t:4", "n", "n");
            out.writeByte('N');
            tuple(out, "t:5", "u", "t:x");
        }));
        assertEquals(Map.of("id", 4L), update.old(), "a key tuple's non-key nulls mean 'not sent'");
        assertTrue(update.oldIsKey());
        assertEquals(Map.of("id", 5L, "extra", "x"), update.row(), "the unchanged TOASTed value is absent");
    }

    @Test
    void decodesTruncateOptions() throws IOException {
        decoder.decode(relation(7, "id"));
        decoder.decode(relation(8, "id"));
        Message.Truncate truncate = (Message.Truncate) decoder.decode(message(out -> {
            out.writeByte('T');
            out.writeInt(2);
            out.writeByte(3);
            out.writeInt(7);
            out.writeInt(8);
        }));
        assertEquals(2, truncate.relations().size());
        assertTrue(truncate.cascade() && truncate.restartIdentity());
    }

    @Test
    void ignoresMessagesItDoesNotActOn() throws IOException {
        assertInstanceOf(Message.Ignored.class, decoder.decode(message(out -> {
            out.writeByte('O');
            out.writeLong(1);
            out.write("origin\0".getBytes(StandardCharsets.UTF_8));
        })));
    }

    @Test
    void refusesARowOfAnUndescribedTable() {
        FlussoException e = assertThrows(FlussoException.class, () -> decoder.decode(message(out -> {
            out.writeByte('I');
            out.writeInt(99);
            out.writeByte('N');
            tuple(out, "t:1");
        })));
        assertTrue(e.getMessage().contains("OID 99"), e.getMessage());
    }

    @Test
    void convertsIntegersAndBooleansAndKeepsOtherTextExact() {
        assertEquals(7L, Values.convert(Values.INT4, "7"));
        assertEquals(true, Values.convert(Values.BOOL, "t"));
        assertEquals("1E-7", Values.convert(1700, "1E-7"));
        assertEquals("NaN", Values.convert(1700, "NaN"));
        assertEquals("{1,NULL}", Values.convert(1007, "{1,NULL}"));
        assertEquals(null, Values.convert(Values.INT8, null));
        assertFalse(Values.convert(2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") instanceof Long);
    }

    private ByteBuffer relation(int oid, String... columns) throws IOException {
        return message(out -> {
            out.writeByte('R');
            out.writeInt(oid);
            out.write("shop\0items\0".getBytes(StandardCharsets.UTF_8));
            out.writeByte('d');
            out.writeShort(columns.length);
            for (int i = 0; i < columns.length; i++) {
                out.writeByte(i == 0 ? 1 : 0);
                out.write((columns[i] + "\0").getBytes(StandardCharsets.UTF_8));
                out.writeInt(i == 0 ? Values.INT4 : 25);
                out.writeInt(-1);
            }
        });
    }

    /** Values written as {@code t:text}, {@code n} or {@code u}. */
    private static void tuple(DataOutputStream out, String... values) throws IOException {
        out.writeShort(values.length);
        for (String value : values) {
            out.writeByte(value.charAt(0));
            if (value.startsWith("t:")) {
                byte[] bytes = value.substring(2).getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static ByteBuffer message(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writer.write(new DataOutputStream(bytes));
        // pgjdbc hands over a slice of a larger array: decode from one too.
        byte[] padded = new byte[bytes.size() + 3];
        System.arraycopy(bytes.toByteArray(), 0, padded, 3, bytes.size());
        return ByteBuffer.wrap(padded, 3, bytes.size()).slice();
    }
}
