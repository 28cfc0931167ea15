package dev.flusso.queue.kafka.internal;

import dev.flusso.api.Change;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Operation;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.TableRef;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The record format of a change: a compact, typed binary encoding whose first byte is its format version, so that a
 * later version can still read what an older capture wrote, and refuses what it cannot read.
 *
 * <p>Version 1, in order: the version byte; the operation; schema and table; the change's version; its key, old and
 * new values; and, for a snapshot row, its index and checkpoint. Strings are a varint length and UTF-8, and a column
 * name is written once per record and then referred to by number; whole
 * numbers are zigzag varints; each column value carries a one-byte type tag, so a value comes back as the type it
 * went in as ({@code Long} stays {@code Long}, a numeric's text stays text). Lists nest at most
 * {@value #MAX_NESTING} deep, and a decimal's or big integer's text is at most {@value #MAX_NUMBER_TEXT} characters. A live change's source position is not
 * written: workers never confirm positions, and name a record by its place in the topic instead.
 *
 * <p>The record key is the table and the row's key, so the changes of one row stay in order on one partition; a
 * truncation is keyed by its table and a snapshot row by its index (see the module's README for why).
 */
public final class ChangeCodec {

    /** The format this class writes. */
    public static final byte FORMAT = 1;

    private static final byte T_NULL = 0;
    private static final byte T_FALSE = 1;
    private static final byte T_TRUE = 2;
    private static final byte T_LONG = 3;
    private static final byte T_INT = 4;
    private static final byte T_STRING = 5;
    private static final byte T_DOUBLE = 6;
    private static final byte T_FLOAT = 7;
    private static final byte T_DECIMAL = 8;
    private static final byte T_BIGINT = 9;
    private static final byte T_BYTES = 10;
    private static final byte T_SHORT = 11;
    private static final byte T_UUID = 12;
    private static final byte T_LIST = 13;

    /**
     * How deep lists may nest in a value. A PostgreSQL array has at most 6 dimensions; the bound keeps a corrupt
     * record from exhausting the reader's stack, and the writer keeps to it so that it never writes what no reader takes.
     */
    static final int MAX_NESTING = 16;

    /**
     * The longest text of a decimal or big integer: a PostgreSQL numeric's (131072 digits before the point, 16383
     * after, a sign and the point). Parsing takes time quadratic in the length, so a corrupt record's megabyte of
     * digits would stall the worker for many seconds; the writer keeps to it too.
     */
    static final int MAX_NUMBER_TEXT = 131_072 + 16_383 + 2;

    private static final Operation[] OPERATIONS = {null, Operation.INSERT, Operation.UPDATE, Operation.DELETE,
        Operation.TRUNCATE, Operation.SNAPSHOT, Operation.PROGRESS};

    private ChangeCodec() {
    }

    /**
     * {@return the record key of the change: what decides its partition}
     *
     * @param change the change, never {@code null}
     */
    public static byte[] key(Change change) {
        Out out = new Out(64);
        if (change.position() instanceof SnapshotPosition snapshot) {
            out.writeByte((byte) 's');
            out.writeString(snapshot.index());
            return out.toByteArray();
        }
        if (change.isProgress()) {
            return new byte[] {(byte) 'p'};
        }
        out.writeByte((byte) 'r');
        out.writeString(change.table().schema());
        out.writeString(change.table().name());
        writeMap(out, change.key(), change);
        return out.toByteArray();
    }

    /**
     * {@return the change in format {@value #FORMAT}}
     *
     * @param change the change, never {@code null}
     * @throws FlussoException naming the table and column of a value of a type the format has no tag for
     */
    public static byte[] encode(Change change) {
        Out out = new Out(128);
        out.writeByte(FORMAT);
        out.writeByte(operationCode(change.operation()));
        // A progress change names no table: two empty names stand in, which no table has.
        out.writeString(change.isProgress() ? "" : change.table().schema());
        out.writeString(change.isProgress() ? "" : change.table().name());
        out.writeVarLong(change.version());
        writeMap(out, change.key(), change);
        writeMap(out, change.oldValues(), change);
        writeMap(out, change.newValues(), change);
        if (change.position() instanceof SnapshotPosition snapshot) {
            out.writeByte((byte) 1);
            out.writeString(snapshot.index());
            out.writeString(snapshot.checkpoint());
        } else {
            out.writeByte((byte) 0);
        }
        return out.toByteArray();
    }

    /**
     * Reads a change.
     *
     * @param bytes the record value, possibly {@code null}
     * @param live the position a live change gets: where its record stands
     * @return the change
     * @throws UnreadableRecordException saying what is wrong with the bytes
     */
    public static Change decode(byte[] bytes, Position live) {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableRecordException("the record has no value");
        }
        if (bytes[0] != FORMAT) {
            throw new UnreadableRecordException("format version " + bytes[0] + " is not one this Flusso reads (it reads "
                    + FORMAT + "); a newer capture may have written it");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        try {
            int code = in.get();
            if (code < 1 || code >= OPERATIONS.length) {
                throw new UnreadableRecordException("operation code " + code + " is unknown");
            }
            Operation operation = OPERATIONS[code];
            String schema = readString(in);
            String name = readString(in);
            TableRef table = operation == Operation.PROGRESS ? null : new TableRef(schema, name);
            long version = readVarLong(in);
            List<String> names = new ArrayList<>();
            Map<String, Object> key = readMap(in, names);
            Map<String, Object> oldValues = readMap(in, names);
            Map<String, Object> newValues = readMap(in, names);
            byte kind = in.get();
            Position position = switch (kind) {
                case 0 -> live;
                case 1 -> new SnapshotPosition(readString(in), readString(in));
                default -> throw new UnreadableRecordException("position kind " + kind + " is unknown");
            };
            if (in.hasRemaining()) {
                throw new UnreadableRecordException(in.remaining() + " bytes follow the change");
            }
            if ((operation == Operation.SNAPSHOT) != (kind == 1)) {
                throw new UnreadableRecordException("a " + operation + " change with a " + (kind == 1 ? "snapshot" : "live")
                        + " position");
            }
            return new Change(operation, table, key, oldValues, newValues, version, position);
        } catch (java.nio.BufferUnderflowException e) {
            throw new UnreadableRecordException("the record ends in the middle of a change (" + bytes.length + " bytes)");
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException(e.getMessage());
        }
    }

    private static byte operationCode(Operation operation) {
        return switch (operation) {
            case INSERT -> 1;
            case UPDATE -> 2;
            case DELETE -> 3;
            case TRUNCATE -> 4;
            case SNAPSHOT -> 5;
            case PROGRESS -> 6;
        };
    }

    private static void writeMap(Out out, Map<String, Object> values, Change change) {
        out.writeVarLong(values.size());
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            out.writeName(entry.getKey());
            writeValue(out, entry.getValue(), change, entry.getKey(), 0);
        }
    }

    private static void writeValue(Out out, Object value, Change change, String column, int depth) {
        if (value == null) {
            out.writeByte(T_NULL);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? T_TRUE : T_FALSE);
        } else if (value instanceof Long l) {
            out.writeByte(T_LONG);
            out.writeVarLong(l);
        } else if (value instanceof Integer i) {
            out.writeByte(T_INT);
            out.writeVarLong(i);
        } else if (value instanceof Short s) {
            out.writeByte(T_SHORT);
            out.writeVarLong(s);
        } else if (value instanceof String s) {
            out.writeByte(T_STRING);
            out.writeString(s);
        } else if (value instanceof Double d) {
            out.writeByte(T_DOUBLE);
            out.writeFixedLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof Float f) {
            out.writeByte(T_FLOAT);
            out.writeFixedLong(Float.floatToRawIntBits(f));
        } else if (value instanceof BigDecimal d) {
            out.writeByte(T_DECIMAL);
            out.writeString(numberText(d.toString(), change, column));
        } else if (value instanceof BigInteger i) {
            out.writeByte(T_BIGINT);
            out.writeString(numberText(i.toString(), change, column));
        } else if (value instanceof byte[] bytes) {
            out.writeByte(T_BYTES);
            out.writeVarLong(bytes.length);
            out.write(bytes, 0, bytes.length);
        } else if (value instanceof UUID uuid) {
            out.writeByte(T_UUID);
            out.writeFixedLong(uuid.getMostSignificantBits());
            out.writeFixedLong(uuid.getLeastSignificantBits());
        } else if (value instanceof List<?> list) {
            if (depth == MAX_NESTING) {
                throw new FlussoException("table '" + change.table() + "', column '" + column + "' holds lists nested over "
                        + MAX_NESTING + " deep, which the kafka queue cannot carry");
            }
            out.writeByte(T_LIST);
            out.writeVarLong(list.size());
            for (Object item : list) {
                writeValue(out, item, change, column, depth + 1);
            }
        } else {
            throw new FlussoException("table '" + change.table() + "', column '" + column + "' holds a "
                    + value.getClass().getName() + ", which the kafka queue cannot carry; expected null, a boolean, a "
                    + "whole or floating-point number, a BigDecimal, a string, bytes, a UUID or a list of these");
        }
    }

    private static String numberText(String text, Change change, String column) {
        if (text.length() > MAX_NUMBER_TEXT) {
            throw new FlussoException("table '" + change.table() + "', column '" + column + "' holds a number of "
                    + text.length() + " characters, which the kafka queue cannot carry; expected at most " + MAX_NUMBER_TEXT
                    + ", as a PostgreSQL numeric");
        }
        return text;
    }

    private static Map<String, Object> readMap(ByteBuffer in, List<String> names) {
        int size = readLength(in);
        Map<String, Object> values = new LinkedHashMap<>(Math.max(4, size * 2));
        for (int i = 0; i < size; i++) {
            String name = readName(in, names);
            values.put(name, readValue(in, name, 0));
        }
        return values;
    }

    private static Object readValue(ByteBuffer in, String column, int depth) {
        byte tag = in.get();
        return switch (tag) {
            case T_NULL -> null;
            case T_FALSE -> Boolean.FALSE;
            case T_TRUE -> Boolean.TRUE;
            case T_LONG -> readVarLong(in);
            case T_INT -> (int) readWhole(in, column, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
            case T_SHORT -> (short) readWhole(in, column, Short.MIN_VALUE, Short.MAX_VALUE, "short");
            case T_STRING -> readString(in);
            case T_DOUBLE -> Double.longBitsToDouble(in.getLong());
            case T_FLOAT -> Float.intBitsToFloat((int) in.getLong());
            case T_DECIMAL -> readNumber(in, column, "decimal", BigDecimal::new);
            case T_BIGINT -> readNumber(in, column, "big integer", BigInteger::new);
            case T_BYTES -> {
                byte[] bytes = new byte[readLength(in)];
                in.get(bytes);
                yield bytes;
            }
            case T_UUID -> new UUID(in.getLong(), in.getLong());
            case T_LIST -> {
                if (depth == MAX_NESTING) {
                    throw new UnreadableRecordException("column '" + column + "' has lists nested over " + MAX_NESTING
                            + " deep, deeper than any change holds");
                }
                int size = readLength(in);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(readValue(in, column, depth + 1));
                }
                yield java.util.Collections.unmodifiableList(list);
            }
            default -> throw new UnreadableRecordException("column '" + column + "' has value type tag " + tag
                    + ", which is unknown");
        };
    }

    private static long readWhole(ByteBuffer in, String column, long min, long max, String type) {
        long value = readVarLong(in);
        if (value < min || value > max) {
            throw new UnreadableRecordException("column '" + column + "' has the " + type + " value " + value
                    + ", outside the " + type + " range");
        }
        return value;
    }

    private static <T> T readNumber(ByteBuffer in, String column, String type, Function<String, T> parse) {
        String text = readString(in);
        if (text.length() > MAX_NUMBER_TEXT) {
            throw new UnreadableRecordException("column '" + column + "' has a " + type + " value of " + text.length()
                    + " characters, longer than any PostgreSQL numeric");
        }
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new UnreadableRecordException("column '" + column + "' has the " + type + " value '" + abbreviated(text)
                    + "', which is not a number");
        }
    }

    /** Corrupt text can be long and unprintable: a message quotes only its start. */
    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static String readName(ByteBuffer in, List<String> names) {
        long reference = readVarLong(in);
        if (reference == 0) {
            String name = readString(in);
            names.add(name);
            return name;
        }
        if (reference < 0 || reference > names.size()) {
            throw new UnreadableRecordException("column name reference " + reference + " points to no earlier name");
        }
        return names.get((int) reference - 1);
    }

    private static String readString(ByteBuffer in) {
        int length = readLength(in);
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    private static int readLength(ByteBuffer in) {
        long length = readVarLong(in);
        if (length < 0 || length > in.remaining()) {
            throw new UnreadableRecordException("a length of " + length + " runs past the record's end");
        }
        return (int) length;
    }

    private static long readVarLong(ByteBuffer in) {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new UnreadableRecordException("a number runs over ten bytes");
    }

    /** A growable byte buffer with the format's primitives. */
    private static final class Out extends ByteArrayOutputStream {

        private final List<String> names = new ArrayList<>();

        Out(int size) {
            super(size);
        }

        void writeByte(byte b) {
            write(b);
        }

        void writeVarLong(long value) {
            long raw = (value << 1) ^ (value >> 63);
            while ((raw & ~0x7fL) != 0) {
                write((int) ((raw & 0x7f) | 0x80));
                raw >>>= 7;
            }
            write((int) raw);
        }

        void writeFixedLong(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                write((int) (value >>> shift));
            }
        }

        /** A column name: written once per record, then referred to by its number, as key and values share names. */
        void writeName(String name) {
            int known = names.indexOf(name);
            if (known >= 0) {
                writeVarLong(known + 1L);
                return;
            }
            names.add(name);
            writeVarLong(0);
            writeString(name);
        }

        void writeString(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            writeVarLong(bytes.length);
            write(bytes, 0, bytes.length);
        }
    }
}
