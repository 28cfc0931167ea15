package dev.flusso.queue.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Position;
import dev.flusso.api.TableRef;
import dev.flusso.testing.ByteMutations;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A worker reads records that any capture, any version, or a broken disk wrote: whatever the bytes, decoding either
 * returns a change or refuses the record with {@link UnreadableRecordException}, promptly. Any other exception, or a
 * hang, would stop the worker on one bad record instead of reporting it. {@code -Dflusso.long=true} tries more.
 */
class ChangeCodecMalformedProperties {

    private static final Position AT = new KafkaPosition("t", 0, 42);
    private static final boolean LONG = Boolean.getBoolean("flusso.long");
    private static final Duration BOUND = Duration.ofSeconds(5);

    @Property(tries = 300)
    void randomBytesAreReadOrRefused(@ForAll("records") byte[] bytes) {
        assertReadOrRefused(bytes);
    }

    @Property(tries = 1000)
    void aMutatedRecordIsReadOrRefused(@ForAll("changes") Change change, @ForAll("mutations") List<Mutation> mutations) {
        byte[] bytes = ChangeCodec.encode(change);
        for (Mutation mutation : mutations) {
            bytes = mutation.apply(bytes);
        }
        assertReadOrRefused(bytes);
    }

    @Property(tries = 200)
    void moreMutationsWhenAsked(@ForAll("changes") Change change, @ForAll("manyMutations") List<Mutation> mutations) {
        if (!LONG) {
            return;
        }
        for (int i = 0; i < 50; i++) {
            aMutatedRecordIsReadOrRefused(change, mutations.subList(0, 1 + i % mutations.size()));
        }
    }

    @Example
    void anIntOutsideTheIntRangeIsRefusedNamingTheColumn() {
        byte[] bytes = record(4, varint(1L << 40));
        UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(bytes, AT));
        assertTrue(e.getMessage().contains("column 'id'") && e.getMessage().contains(String.valueOf(1L << 40)), e.getMessage());
    }

    @Example
    void aShortOutsideTheShortRangeIsRefusedNamingTheColumn() {
        byte[] bytes = record(11, varint(40_000));
        UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(bytes, AT));
        assertTrue(e.getMessage().contains("column 'id'"), e.getMessage());
    }

    @Example
    void aDecimalThatIsNoNumberIsRefusedNamingTheColumn() {
        byte[] text = "12x".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = record(8, concat(varint(text.length), text));
        UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(bytes, AT));
        assertTrue(e.getMessage().contains("column 'id'") && e.getMessage().contains("'12x'"), e.getMessage());
    }

    @Example
    void aDecimalLongerThanAnyNumericIsRefusedBeforeParsing() {
        byte[] digits = "9".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);
        for (int tag : new int[] {8, 9}) {
            byte[] bytes = record(tag, concat(varint(digits.length), digits));
            UnreadableRecordException e = assertTimeoutPreemptively(BOUND,
                    () -> assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(bytes, AT)));
            assertTrue(e.getMessage().contains("column 'id'") && e.getMessage().contains("1000000 characters"), e.getMessage());
        }
        Change change = Change.insert(new TableRef("public", "orders"), Map.of("id", new BigDecimal("9".repeat(200_000))),
                Map.of(), 1, AT);
        FlussoException e = assertThrows(FlussoException.class, () -> ChangeCodec.encode(change));
        assertTrue(e.getMessage().contains("table 'public.orders', column 'id'"), e.getMessage());
    }

    @Example
    void listsNestedDeeperThanAnyChangeHoldsAreRefusedNotOverflowingTheStack() {
        ByteArrayOutputStream nested = new ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            nested.write(13); // a list
            nested.write(2); // of one item
        }
        nested.write(0);
        byte[] bytes = record(13, nested.toByteArray(), 2); // the list tag is written; its size follows
        UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> ChangeCodec.decode(bytes, AT));
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    @Example
    void theWriterKeepsToTheNestingTheReaderTakes() {
        Object value = 1L;
        for (int i = 0; i < ChangeCodec.MAX_NESTING; i++) {
            value = List.of(value);
        }
        Change deepest = Change.insert(new TableRef("public", "orders"), Map.of("id", value), Map.of(), 1, AT);
        assertEquals(deepest.key().toString(), ChangeCodec.decode(ChangeCodec.encode(deepest), AT).key().toString(),
                "lists nested " + ChangeCodec.MAX_NESTING + " deep travel");
        Change deeper = Change.insert(new TableRef("public", "orders"), Map.of("id", List.of(value)), Map.of(), 1, AT);
        FlussoException e = assertThrows(FlussoException.class, () -> ChangeCodec.encode(deeper));
        assertTrue(e.getMessage().contains("table 'public.orders', column 'id'"), e.getMessage());
    }

    private static void assertReadOrRefused(byte[] bytes) {
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                ChangeCodec.decode(bytes, AT);
            } catch (UnreadableRecordException e) {
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "the refusal says why");
            }
        }, () -> "decoding " + HexFormat.of().formatHex(bytes) + " took over " + BOUND);
    }

    /** An insert into public.orders whose key is one column 'id' with the given tag and value bytes. */
    private static byte[] record(int tag, byte[] value) {
        return record(tag, value, -1);
    }

    private static byte[] record(int tag, byte[] value, int afterTag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ChangeCodec.FORMAT);
        out.write(1); // insert
        out.writeBytes(string("public"));
        out.writeBytes(string("orders"));
        out.writeBytes(varint(7)); // version
        out.writeBytes(varint(1)); // one key column
        out.writeBytes(varint(0)); // a new name
        out.writeBytes(string("id"));
        out.write(tag);
        if (afterTag >= 0) {
            out.write(afterTag);
        }
        out.writeBytes(value);
        out.writeBytes(varint(0)); // no old values
        out.writeBytes(varint(0)); // no new values
        out.write(0); // a live position
        return out.toByteArray();
    }

    private static byte[] string(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return concat(varint(bytes.length), bytes);
    }

    /** A zigzag varint, as the format writes whole numbers. */
    static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long raw = (value << 1) ^ (value >> 63);
        while ((raw & ~0x7fL) != 0) {
            out.write((int) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        out.write((int) raw);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Provide
    Arbitrary<Change> changes() {
        return ChangeArbitraries.changes(AT);
    }

    @Provide
    Arbitrary<byte[]> records() {
        // Most start with the format byte, so that the reader gets past the version check.
        return Combinators.combine(Arbitraries.of(ChangeCodec.FORMAT, ChangeCodec.FORMAT, ChangeCodec.FORMAT, (byte) 0),
                Arbitraries.bytes().list().ofMaxSize(200)).as((first, rest) -> {
                    byte[] bytes = new byte[rest.size() + 1];
                    bytes[0] = first;
                    for (int i = 0; i < rest.size(); i++) {
                        bytes[i + 1] = rest.get(i);
                    }
                    return bytes;
                });
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Mutation>> manyMutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(12);
    }

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<Long> numbers = Arbitraries.oneOf(Arbitraries.of(-1L, 0L, 1L, 127L, 128L, Integer.MAX_VALUE + 1L,
                Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE), Arbitraries.longs());
        return Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.doubles().between(0, 1), numbers).as(Mutation::new);
    }

    enum Kind { FLIP_BIT, SET_BYTE, TRUNCATE, INSERT_BYTE, DELETE_BYTE, DUPLICATE_RUN, SPLICE_NUMBER }

    /**
     * One change to a record's bytes, at a fraction of its length. SPLICE_NUMBER replaces a byte with a whole number
     * as the format writes one: where the byte was a length or count, that length is now corrupt.
     */
    record Mutation(Kind kind, double where, long value) {

        byte[] apply(byte[] bytes) {
            return switch (kind) {
                case FLIP_BIT -> ByteMutations.flipBit(bytes, where, value);
                case SET_BYTE -> ByteMutations.setByte(bytes, where, value);
                case TRUNCATE -> ByteMutations.truncate(bytes, where);
                case INSERT_BYTE -> ByteMutations.insertByte(bytes, where, value);
                case DELETE_BYTE -> ByteMutations.deleteByte(bytes, where);
                case DUPLICATE_RUN -> ByteMutations.duplicateRun(bytes, where, value);
                case SPLICE_NUMBER -> ByteMutations.replaceByte(bytes, where, varint(value));
            };
        }

        @Override
        public String toString() {
            return kind + "@" + where + "(" + value + ")";
        }
    }
}
