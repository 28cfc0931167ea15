package dev.flusso.source.wal.internal;

import dev.flusso.api.TableRef;
import java.util.Collection;
import java.util.stream.Collectors;

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

    static String tables(Collection<TableRef> tables) {
        return tables.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).map(Sql::table)
                .collect(Collectors.joining(", "));
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
