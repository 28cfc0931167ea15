package dev.flusso.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One index as the builder resolved it: what the sink must create, and what capture and backfill must read.
 *
 * @param name the logical index name (before any deployment prefix or generation suffix), never {@code null}
 * @param root the table whose rows are the documents, never {@code null}
 * @param keyColumns the root table's primary-key columns in key order, never empty
 * @param tables every table the index reads: the root, and each joined or aggregated table
 * @param mapping the field mapping as a JSON-like tree ({@code Map}, {@code List}, {@code String},
 *     {@code Number}, {@code Boolean}); a sink translates it to its own dialect
 * @param settings index settings as a JSON-like tree, possibly empty
 * @param fingerprint a stable hash of everything that shapes the documents and mapping: when it changes, the
 *     index must be rebuilt (a sink may name index generations after it)
 */
public record IndexDefinition(
        String name,
        TableRef root,
        List<String> keyColumns,
        Set<TableRef> tables,
        Map<String, Object> mapping,
        Map<String, Object> settings,
        String fingerprint) {

    public IndexDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(fingerprint, "fingerprint");
        keyColumns = List.copyOf(keyColumns);
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("index '" + name + "' needs at least one key column of table '" + root + "'");
        }
        tables = Set.copyOf(tables);
        if (!tables.contains(root)) {
            throw new IllegalArgumentException("index '" + name + "' must list its root table '" + root + "' among its tables");
        }
        mapping = Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
