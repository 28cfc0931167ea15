package dev.flusso.api;

import java.util.Objects;

/**
 * A table, always with its schema: two tables of the same name in different schemas never collide.
 *
 * @param schema the schema, never {@code null} or blank
 * @param name the table name, never {@code null} or blank
 */
public record TableRef(String schema, String name) {

    public TableRef {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        if (schema.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("table reference needs a schema and a name, got '" + schema + "." + name + "'");
        }
    }

    /**
     * Parses {@code schema.table}, or {@code table} in the given default schema. Names are taken as written:
     * no case folding and no unquoting, so a name may contain any character but the first dot.
     *
     * @param text the reference, never {@code null}
     * @param defaultSchema the schema of an unqualified name, never {@code null}
     * @return the reference
     */
    public static TableRef parse(String text, String defaultSchema) {
        int dot = text.indexOf('.');
        return dot < 0 ? new TableRef(defaultSchema, text) : new TableRef(text.substring(0, dot), text.substring(dot + 1));
    }

    /** {@return {@code schema.name}, as users write it} */
    @Override
    public String toString() {
        return schema + "." + name;
    }
}
