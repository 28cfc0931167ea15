package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.FlussoException;
import dev.flusso.testing.ByteMutations;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The capture reads what the server's pgoutput writes, or whatever a proxy, a wrong plugin or a protocol version
 * it does not know writes instead: each message is either decoded or refused with a {@link FlussoException} that
 * says what is wrong, promptly. Any other exception, or a hang, is a bug. Valid streams are built first
 * ({@link PgOutputStream}), then mutated. {@code -Dflusso.long=true} tries more.
 */
class PgOutputDecoderMalformedProperties {

    private static final boolean LONG = Boolean.getBoolean("flusso.long");
    private static final Duration BOUND = Duration.ofSeconds(5);

    @Property(tries = 300)
    void randomMessagesAreDecodedOrRefused(@ForAll("typeBytes") char type, @ForAll boolean knownTable,
            @ForAll("bytes") byte[] rest) {
        ByteBuffer message = ByteBuffer.allocate(rest.length + 5);
        message.put((byte) type);
        if (knownTable) {
            message.putInt(PgOutputStream.OID); // so that row messages reach their tuples
        }
        message.put(rest).flip();
        assertDecodedOrRefused(List.of(PgOutputStream.relation(), bytes(message)));
    }

    @Property(tries = 1000)
    void aMutatedStreamIsDecodedOrRefused(@ForAll("streams") PgOutputStream stream, @ForAll("mutations") List<Mutation> mutations) {
        List<byte[]> messages = stream.messages();
        for (Mutation mutation : mutations) {
            mutation.apply(stream, messages);
        }
        assertDecodedOrRefused(messages);
    }

    @Property(tries = 200)
    void moreMutationsWhenAsked(@ForAll("streams") PgOutputStream stream, @ForAll("manyMutations") List<Mutation> mutations) {
        if (!LONG) {
            return;
        }
        for (int i = 0; i < 50; i++) {
            aMutatedStreamIsDecodedOrRefused(stream, mutations.subList(0, 1 + i % mutations.size()));
        }
    }

    @Example
    void aNameWithoutItsZeroByteIsRefused() {
        byte[] relation = PgOutputStream.relation();
        byte[] cut = Arrays.copyOf(relation, 7); // 'R', the OID, and "sh" of "shop"
        assertRefused(cut, "terminating zero byte");
    }

    @Example
    void aValueLongerThanItsMessageIsRefusedNamingTheColumn() {
        PgOutputDecoder decoder = new PgOutputDecoder();
        decoder.decode(ByteBuffer.wrap(PgOutputStream.relation()));
        byte[] insert = PgOutputStream.insertWithValueLength(Integer.MAX_VALUE);
        FlussoException e = assertThrows(FlussoException.class, () -> decoder.decode(ByteBuffer.wrap(insert)));
        assertTrue(e.getMessage().contains("column 'id'") && e.getMessage().contains("shop.items"), e.getMessage());
        byte[] negative = PgOutputStream.insertWithValueLength(-2);
        e = assertThrows(FlussoException.class, () -> decoder.decode(ByteBuffer.wrap(negative)));
        assertTrue(e.getMessage().contains("column 'id'"), e.getMessage());
    }

    @Example
    void textThatIsNoNumberInAnIntegerColumnIsRefusedNamingTheColumn() {
        PgOutputDecoder decoder = new PgOutputDecoder();
        decoder.decode(ByteBuffer.wrap(PgOutputStream.relation()));
        FlussoException e = assertThrows(FlussoException.class,
                () -> decoder.decode(ByteBuffer.wrap(PgOutputStream.insertWithId("x1"))));
        assertTrue(e.getMessage().contains("'x1' for column 'id'"), e.getMessage());
    }

    @Example
    void aTruncateOfMoreTablesThanItsMessageHoldsIsRefusedWithoutSizingAList() {
        ByteBuffer truncate = ByteBuffer.allocate(6).put((byte) 'T').putInt(Integer.MAX_VALUE).put((byte) 0).flip();
        assertRefused(bytes(truncate), "names " + Integer.MAX_VALUE + " tables");
        ByteBuffer negative = ByteBuffer.allocate(6).put((byte) 'T').putInt(-1).put((byte) 0).flip();
        assertRefused(bytes(negative), "names -1 tables");
    }

    @Example
    void aBeginCutShortIsRefused() {
        assertRefused(new byte[] {'B', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, "ends before its last field");
        assertRefused(new byte[0], "empty message");
    }

    @Example
    void aRelationWithoutASchemaIsRefused() {
        ByteBuffer relation = ByteBuffer.allocate(16).put((byte) 'R').putInt(9).put((byte) 0).put((byte) 'x').put((byte) 0)
                .put((byte) 'd').putShort((short) 0).flip();
        assertRefused(bytes(relation), "OID 9");
    }

    private static void assertRefused(byte[] message, String saying) {
        FlussoException e = assertThrows(FlussoException.class, () -> new PgOutputDecoder().decode(ByteBuffer.wrap(message)));
        assertTrue(e.getMessage().contains(saying), "the refusal says '" + saying + "': " + e.getMessage());
    }

    /** Decodes the messages in order, going on after a refusal: a refused message leaves no broken state behind. */
    private static void assertDecodedOrRefused(List<byte[]> messages) {
        assertTimeoutPreemptively(BOUND, () -> {
            PgOutputDecoder decoder = new PgOutputDecoder();
            for (byte[] message : messages) {
                try {
                    assertInstanceOf(Message.class, decoder.decode(PgOutputStream.asReceived(message)));
                } catch (FlussoException e) {
                    assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "the refusal says why");
                }
            }
        }, () -> "decoding " + messages.stream().map(HexFormat.of()::formatHex).collect(Collectors.joining(" ")) + " took over " + BOUND);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Provide
    Arbitrary<Character> typeBytes() {
        return Arbitraries.of('B', 'C', 'R', 'I', 'U', 'D', 'T', 'O', 'Y', 'M', '\0', (char) 0xff);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
    }

    @Provide
    Arbitrary<PgOutputStream> streams() {
        return PgOutputStream.arbitrary();
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
        Arbitrary<Integer> numbers = Arbitraries.oneOf(Arbitraries.of(-1, 0, 1, 0x7fff, 0x8000, 0xffff, Integer.MAX_VALUE,
                Integer.MIN_VALUE), Arbitraries.integers());
        return Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1), numbers).as(Mutation::new);
    }

    enum Kind { FLIP_BIT, SET_BYTE, TRUNCATE, INSERT_BYTE, DELETE_BYTE, CORRUPT_LENGTH, DROP_MESSAGE }

    /**
     * One change to one message of a stream: {@code which} picks the message and {@code where} the byte, both as
     * fractions. CORRUPT_LENGTH overwrites one of the message's lengths or counts (the builder knows where they are).
     */
    record Mutation(Kind kind, double which, double where, int value) {

        void apply(PgOutputStream stream, List<byte[]> messages) {
            if (messages.isEmpty()) {
                return;
            }
            int index = Math.min(messages.size() - 1, (int) (which * messages.size()));
            byte[] message = messages.get(index);
            switch (kind) {
                case FLIP_BIT -> messages.set(index, ByteMutations.flipBit(message, where, value));
                case SET_BYTE -> messages.set(index, ByteMutations.setByte(message, where, value));
                case TRUNCATE -> messages.set(index, ByteMutations.truncate(message, where));
                case INSERT_BYTE -> messages.set(index, ByteMutations.insertByte(message, where, value));
                case DELETE_BYTE -> messages.set(index, ByteMutations.deleteByte(message, where));
                case CORRUPT_LENGTH -> messages.set(index, corruptLength(stream.lengths(index), message));
                case DROP_MESSAGE -> messages.remove(index);
            }
        }

        /** Overwrites one of the lengths or counts, picked by {@code where}, with {@code value}, big-endian. */
        private byte[] corruptLength(List<PgOutputStream.Field> fields, byte[] message) {
            byte[] out = message.clone();
            if (!fields.isEmpty() && fields.get(0).offset() < out.length) {
                PgOutputStream.Field field = fields.get(Math.min(fields.size() - 1, (int) (where * fields.size())));
                for (int i = 0; i < field.width() && field.offset() + i < out.length; i++) {
                    out[field.offset() + i] = (byte) (value >>> (8 * (field.width() - 1 - i)));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return kind + "@" + which + "/" + where + "(" + value + ")";
        }
    }
}
