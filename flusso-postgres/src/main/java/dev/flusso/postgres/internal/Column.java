package dev.flusso.postgres.internal;

/**
 * A column as the database declares it.
 *
 * @param name the column name
 * @param type its type as SQL writes it ({@code format_type}), quoted where needed: safe to put in a cast
 * @param typeName the bare type name ({@code int4}, {@code point}, {@code _text}), a domain's base type's
 *     (also for an array of a domain's elements: {@code _int4})
 * @param category the (base) type's category ({@code pg_type.typcategory}: N numeric, S string, B boolean, D date/time, A array, U user, …)
 * @param elementCategory for an array, its elements' category; else a space
 * @param notNull whether the column is {@code NOT NULL}
 */
public record Column(String name, String type, String typeName, char category, char elementCategory, boolean notNull) {

    public boolean isArray() {
        return category == 'A';
    }
}
