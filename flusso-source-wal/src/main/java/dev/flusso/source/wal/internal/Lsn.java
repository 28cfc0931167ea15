package dev.flusso.source.wal.internal;

/**
 * PostgreSQL log sequence numbers, held as {@code long}. LSNs are unsigned, but a cluster would have to write
 * eight exbibytes of WAL before one turns negative, so plain {@code long} comparison is used throughout.
 */
public final class Lsn {

    private Lsn() {
    }

    /** {@return the LSN in PostgreSQL's text form, {@code 16/B374D848}} */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /**
     * @param text an LSN in PostgreSQL's text form
     * @return its value
     * @throws IllegalArgumentException if the text is not an LSN
     */
    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN: '" + text + "', expected the form 16/B374D848");
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }
}
