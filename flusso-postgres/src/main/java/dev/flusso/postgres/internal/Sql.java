package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text being generated, with its bound parameters in text order. Identifiers from configuration are always
 * quoted here; values from configuration are always parameters, never text.
 */
public final class Sql {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    /** A parameter bound with no type, so that PostgreSQL casts it to what it is compared with. */
    public record Untyped(String value) {
    }

    /** {@return a quoted identifier: any name works, and none can end the quote} */
    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** {@return a quoted, schema-qualified table name} */
    public static String table(TableRef table) {
        return ident(table.schema()) + "." + ident(table.name());
    }

    /** {@return {@code alias."column"}} */
    public static String column(String alias, String column) {
        return alias + "." + ident(column);
    }

    public Sql add(String sql) {
        text.append(sql);
        return this;
    }

    /** Appends a {@code ?} bound to the value. */
    public Sql param(Object value) {
        text.append('?');
        parameters.add(value);
        return this;
    }

    public String text() {
        return text.toString();
    }

    public List<Object> parameters() {
        return List.copyOf(parameters);
    }

    /** Appends another fragment with its parameters. */
    public Sql add(Sql other) {
        text.append(other.text);
        parameters.addAll(other.parameters);
        return this;
    }

    public boolean isEmpty() {
        return text.length() == 0;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
