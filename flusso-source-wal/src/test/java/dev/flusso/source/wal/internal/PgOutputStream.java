package dev.flusso.source.wal.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A valid pgoutput stream (protocol version 1), as the server writes it: a Relation message describing one table,
 * then transactions of its changes. Remembers where each message's lengths and counts are, so that a test can
 * corrupt exactly those.
 */
final class PgOutputStream {

    /** The OID of the table every stream describes. */
    static final int OID = 7;

    private static final int TEXT = 25;
    private static final int NUMERIC = 1700;
    private static final int[] TYPES = {Values.INT4, Values.INT8, Values.INT2, Values.BOOL, TEXT, NUMERIC};

    /** Where a length or count is: its offset in the message, and its width in bytes. */
    record Field(int offset, int width) {
    }

    private final List<byte[]> messages = new ArrayList<>();
    private final List<List<Field>> lengths = new ArrayList<>();
    private final String description;

    private PgOutputStream(String description) {
        this.description = description;
    }

    /** {@return a copy of the messages, in stream order} */
    List<byte[]> messages() {
        List<byte[]> copy = new ArrayList<>();
        messages.forEach(message -> copy.add(message.clone()));
        return copy;
    }

    /** {@return where the lengths and counts of the message at that index are} */
    List<Field> lengths(int message) {
        return message < lengths.size() ? lengths.get(message) : List.of();
    }

    /** {@return the message as pgjdbc hands it over: a slice of a larger array, with other bytes around it} */
    static ByteBuffer asReceived(byte[] message) {
        byte[] padded = new byte[message.length + 6];
        Arrays.fill(padded, (byte) 'Z');
        System.arraycopy(message, 0, padded, 3, message.length);
        return ByteBuffer.wrap(padded, 3, message.length).slice();
    }

    /** {@return the Relation message of shop.items: id int4 (its key), note text} */
    static byte[] relation() {
        Writer out = new Writer();
        writeRelation(out, List.of(new Relation.Column("id", Values.INT4, true), new Relation.Column("note", TEXT, false)));
        return out.toByteArray();
    }

    /** {@return an insert into shop.items whose id has the given text} */
    static byte[] insertWithId(String id) {
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        return insert(text.length, text);
    }

    /** {@return an insert into shop.items whose id value claims the given length, followed by one byte} */
    static byte[] insertWithValueLength(int length) {
        return insert(length, new byte[] {'5'});
    }

    /** {@return an insert into shop.items of one text value, the id: its length field, then its bytes} */
    private static byte[] insert(int length, byte[] value) {
        Writer out = new Writer();
        out.write('I');
        out.writeInt(OID);
        out.write('N');
        out.writeShort(1);
        out.write('t');
        out.writeInt(length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** {@return random valid streams: a table of random columns, then random transactions of its changes} */
    static Arbitrary<PgOutputStream> arbitrary() {
        Arbitrary<Relation.Column> column = Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1)
                .ofMaxLength(8), Arbitraries.of(Arrays.stream(TYPES).boxed().toList()), Arbitraries.of(true, false))
                .as(Relation.Column::new);
        Arbitrary<List<Relation.Column>> columns = column.list().ofMinSize(1).ofMaxSize(6)
                .uniqueElements(Relation.Column::name);
        Arbitrary<List<Step>> steps = Arbitraries.of(Step.values()).list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(columns, steps, Arbitraries.randoms()).as(PgOutputStream::build);
    }

    private enum Step { INSERT, UPDATE, UPDATE_WITH_KEY, UPDATE_WITH_OLD_ROW, DELETE_BY_KEY, DELETE_OLD_ROW, TRUNCATE,
        TRANSACTION, DESCRIBE_AGAIN, ORIGIN }

    private static PgOutputStream build(List<Relation.Column> columns, List<Step> steps, Random random) {
        PgOutputStream stream = new PgOutputStream(columns + " " + steps);
        stream.add(out -> writeRelation(out, columns));
        for (Step step : steps) {
            switch (step) {
                case INSERT -> stream.add(out -> row(out, 'I', null, 'N', columns, random));
                case UPDATE -> stream.add(out -> row(out, 'U', null, 'N', columns, random));
                case UPDATE_WITH_KEY -> stream.add(out -> row(out, 'U', 'K', 'N', columns, random));
                case UPDATE_WITH_OLD_ROW -> stream.add(out -> row(out, 'U', 'O', 'N', columns, random));
                case DELETE_BY_KEY -> stream.add(out -> row(out, 'D', 'K', null, columns, random));
                case DELETE_OLD_ROW -> stream.add(out -> row(out, 'D', 'O', null, columns, random));
                case TRUNCATE -> stream.add(out -> {
                    out.write('T');
                    out.length(4);
                    out.writeInt(1);
                    out.write(random.nextInt(4));
                    out.writeInt(OID);
                });
                case TRANSACTION -> {
                    long lsn = random.nextLong() & Long.MAX_VALUE;
                    stream.add(out -> {
                        out.write('B');
                        out.writeLong(lsn);
                        out.writeLong(random.nextLong());
                        out.writeInt(random.nextInt());
                    });
                    stream.add(out -> {
                        out.write('C');
                        out.write(0);
                        out.writeLong(lsn);
                        out.writeLong(lsn + 48);
                        out.writeLong(random.nextLong());
                    });
                }
                case DESCRIBE_AGAIN -> stream.add(out -> writeRelation(out, columns));
                case ORIGIN -> stream.add(out -> {
                    out.write('O');
                    out.writeLong(random.nextLong());
                    out.writeBytes("origin\0".getBytes(StandardCharsets.UTF_8));
                });
            }
        }
        return stream;
    }

    private static void writeRelation(Writer out, List<Relation.Column> columns) {
        out.write('R');
        out.writeInt(OID);
        out.writeBytes("shop\0items\0".getBytes(StandardCharsets.UTF_8));
        out.write('d');
        out.length(2);
        out.writeShort(columns.size());
        for (Relation.Column column : columns) {
            out.write(column.identity() ? 1 : 0);
            out.writeBytes((column.name() + "\0").getBytes(StandardCharsets.UTF_8));
            out.writeInt(column.typeOid());
            out.writeInt(-1);
        }
    }

    private static void row(Writer out, char kind, Character old, Character now, List<Relation.Column> columns,
            Random random) {
        out.write(kind);
        out.writeInt(OID);
        if (old != null) {
            out.write(old);
            tuple(out, columns, random, old == 'K');
        }
        if (now != null) {
            out.write(now);
            tuple(out, columns, random, false);
        }
    }

    private static void tuple(Writer out, List<Relation.Column> columns, Random random, boolean keyOnly) {
        out.length(2);
        out.writeShort(columns.size());
        for (Relation.Column column : columns) {
            int pick = random.nextInt(10);
            if (keyOnly && !column.identity() || pick == 0) {
                out.write('n');
            } else if (pick == 1 && !keyOnly) {
                out.write('u');
            } else {
                byte[] text = text(column.typeOid(), random).getBytes(StandardCharsets.UTF_8);
                out.write('t');
                out.length(4);
                out.writeInt(text.length);
                out.writeBytes(text);
            }
        }
    }

    private static String text(int type, Random random) {
        return switch (type) {
            case Values.INT2 -> String.valueOf((short) random.nextInt());
            case Values.INT4 -> String.valueOf(random.nextInt());
            case Values.INT8 -> String.valueOf(random.nextLong());
            case Values.BOOL -> random.nextBoolean() ? "t" : "f";
            case NUMERIC -> random.nextInt() + "." + random.nextInt(1000);
            default -> "text " + random.nextInt() + " é ✓";
        };
    }

    private interface Content {
        void write(Writer out);
    }

    private void add(Content content) {
        Writer out = new Writer();
        content.write(out);
        messages.add(out.toByteArray());
        lengths.add(List.copyOf(out.lengths));
    }

    @Override
    public String toString() {
        return description;
    }

    /** Big-endian writes, as the protocol has them, noting where the lengths and counts are. */
    private static final class Writer extends ByteArrayOutputStream {

        private final List<Field> lengths = new ArrayList<>();

        /** The next field written, of that width, is a length or count. */
        void length(int width) {
            lengths.add(new Field(size(), width));
        }

        void writeShort(int value) {
            write(value >>> 8);
            write(value);
        }

        void writeInt(int value) {
            writeShort(value >>> 16);
            writeShort(value);
        }

        void writeLong(long value) {
            writeInt((int) (value >>> 32));
            writeInt((int) value);
        }
    }
}
