package dev.flusso.source.polling.internal;

import dev.flusso.api.TableRef;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the catalog says of one polled table.
 *
 * @param table the table
 * @param types every column, in table order, with its SQL type as {@code format_type} writes it
 * @param categories each column's {@code pg_type.typcategory} ({@code D} date/time, {@code N} numeric, …)
 * @param notNull the columns declared {@code NOT NULL}
 * @param primaryKey the primary-key columns in key order; empty when the table has none
 */
record TableInfo(TableRef table, Map<String, String> types, Map<String, String> categories, List<String> notNull,
        List<String> primaryKey) {

    TableInfo {
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        categories = Map.copyOf(categories);
        notNull = List.copyOf(notNull);
        primaryKey = List.copyOf(primaryKey);
    }

    /** {@return the column names, in table order} */
    List<String> columns() {
        return List.copyOf(types.keySet());
    }
}
