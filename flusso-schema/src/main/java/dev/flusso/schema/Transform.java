package dev.flusso.schema;

/** A text transform applied to a column value before it is indexed, in the order the schema lists them. */
public enum Transform {
    LOWERCASE,
    TRIM;

    /** {@return the name written in schema files} */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
