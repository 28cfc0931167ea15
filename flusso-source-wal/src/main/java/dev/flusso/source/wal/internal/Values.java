package dev.flusso.source.wal.internal;

/**
 * Converts a column value from PostgreSQL's text output to the Java value a change carries. Integers and booleans
 * become {@link Long} and {@link Boolean}; everything else stays the exact text PostgreSQL wrote, numeric included,
 * because document ids are derived from key values as PostgreSQL writes them, and {@code BigDecimal#toString} would
 * write {@code 0.0000001} as {@code 1E-7}.
 */
public final class Values {

    static final int BOOL = 16;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int OID = 26;

    private Values() {
    }

    /**
     * @param typeOid the column type's OID
     * @param text the value as PostgreSQL writes it, or {@code null} for SQL NULL
     * @return the value as a change carries it
     */
    public static Object convert(int typeOid, String text) {
        if (text == null) {
            return null;
        }
        return switch (typeOid) {
            case BOOL -> text.equals("t") || text.equals("true");
            case INT2, INT4, INT8, OID -> Long.parseLong(text);
            default -> text;
        };
    }
}
