package dev.flusso.schema;

/** What an aggregate computes over the related rows. */
public enum AggregateOp {
    COUNT,
    SUM,
    AVG,
    MIN,
    MAX,
    /** The related rows' primary keys, as a multi-valued field. */
    IDS;

    /** {@return the name written in schema files} */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
