package dev.flusso.testing;

import java.util.Arrays;

/**
 * Edits that turn a valid encoded message into a malformed one, for properties that check a reader refuses what it
 * cannot read, promptly, instead of failing some other way. Each edit acts at {@code where}, a fraction of the
 * message's length in [0, 1]: at the byte there (the last byte when {@code where} is 1), or at the gap before it (the
 * end when {@code where} is 1). An edit of a byte leaves an empty message empty. Each returns a new array and leaves
 * its argument as it was.
 */
public final class ByteMutations {

    private ByteMutations() {
    }

    /** {@return the bytes with bit {@code value & 7} of the byte at {@code where} flipped} */
    public static byte[] flipBit(byte[] bytes, double where, long value) {
        byte[] out = bytes.clone();
        if (out.length > 0) {
            int at = inside(bytes, where);
            out[at] = (byte) (out[at] ^ (1 << (value & 7)));
        }
        return out;
    }

    /** {@return the bytes with the byte at {@code where} set to the low byte of {@code value}} */
    public static byte[] setByte(byte[] bytes, double where, long value) {
        byte[] out = bytes.clone();
        if (out.length > 0) {
            out[inside(bytes, where)] = (byte) value;
        }
        return out;
    }

    /** {@return the bytes before {@code where}} */
    public static byte[] truncate(byte[] bytes, double where) {
        return Arrays.copyOf(bytes, gap(bytes, where));
    }

    /** {@return the bytes with the low byte of {@code value} inserted at {@code where}} */
    public static byte[] insertByte(byte[] bytes, double where, long value) {
        return splice(bytes, gap(bytes, where), 0, new byte[] {(byte) value});
    }

    /** {@return the bytes without the byte at {@code where}} */
    public static byte[] deleteByte(byte[] bytes, double where) {
        return splice(bytes, inside(bytes, where), Math.min(1, bytes.length), new byte[0]);
    }

    /** {@return the bytes with the run of {@code 1 + (value & 15)} bytes from {@code where} (fewer at the end) repeated} */
    public static byte[] duplicateRun(byte[] bytes, double where, long value) {
        int at = gap(bytes, where);
        byte[] run = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 1 + (int) (value & 15)));
        return splice(bytes, at, 0, run);
    }

    /** {@return the bytes with the byte at {@code where} replaced by {@code replacement} (the only bytes, if none)} */
    public static byte[] replaceByte(byte[] bytes, double where, byte[] replacement) {
        return splice(bytes, inside(bytes, where), Math.min(1, bytes.length), replacement);
    }

    private static int gap(byte[] bytes, double where) {
        return (int) (where * bytes.length);
    }

    private static int inside(byte[] bytes, double where) {
        return Math.min(gap(bytes, where), Math.max(0, bytes.length - 1));
    }

    private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }
}
