package dev.flusso.source.polling.internal;

import dev.flusso.api.TableRef;

/** Quoting for the SQL the capture writes: identifiers always quoted, so any name works. */
final class Sql {

    private Sql() {
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String table(TableRef table) {
        return identifier(table.schema()) + "." + identifier(table.name());
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
