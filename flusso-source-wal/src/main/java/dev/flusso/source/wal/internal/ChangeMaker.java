package dev.flusso.source.wal.internal;

import dev.flusso.api.Change;
import dev.flusso.api.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns decoded rows into changes. A change's key is the table's primary key (read from the catalog at open, since
 * with {@code REPLICA IDENTITY FULL} every column is flagged as identity); its old values are whatever the replica
 * identity gave, and its new values every column sent. A primary-key update is an update whose key is the new key
 * and whose old values hold the old key, so the builder deletes the old document and builds the new one.
 */
public final class ChangeMaker {

    private final Set<TableRef> tables;
    private final Map<TableRef, List<String>> primaryKeys;

    /**
     * @param tables the tables the indexes read; changes of others are dropped
     * @param primaryKeys each table's primary-key columns, in key order, as far as known
     */
    public ChangeMaker(Set<TableRef> tables, Map<TableRef, List<String>> primaryKeys) {
        this.tables = Set.copyOf(tables);
        this.primaryKeys = Map.copyOf(primaryKeys);
    }

    /** {@return whether changes of the table are wanted} */
    public boolean captures(TableRef table) {
        return tables.contains(table);
    }

    /**
     * @param row a decoded row of a captured table
     * @param version its transaction's commit LSN
     * @param position its position
     * @return the change
     */
    public Change change(Message.Row row, long version, WalPosition position) {
        List<String> keyColumns = keyColumns(row.relation());
        Map<String, Object> old = row.old() == null ? Map.of() : row.old();
        return switch (row.kind()) {
            case 'I' -> Change.insert(row.relation().table(), key(keyColumns, row.row(), Map.of()), row.row(), version, position);
            case 'U' -> Change.update(row.relation().table(), key(keyColumns, row.row(), old), old, row.row(), version, position);
            case 'D' -> Change.delete(row.relation().table(), key(keyColumns, old, Map.of()), old, version, position);
            default -> throw new IllegalArgumentException("not a row change: " + row.kind());
        };
    }

    private List<String> keyColumns(Relation relation) {
        List<String> known = primaryKeys.get(relation.table());
        if (known != null && !known.isEmpty()) {
            return known;
        }
        List<String> identity = new ArrayList<>();
        for (Relation.Column column : relation.columns()) {
            if (column.identity()) {
                identity.add(column.name());
            }
        }
        return identity;
    }

    /** The key from the row; a key column missing there (an unchanged TOASTed key) comes from the old row. */
    private static Map<String, Object> key(List<String> columns, Map<String, Object> row, Map<String, Object> fallback) {
        Map<String, Object> key = new LinkedHashMap<>(columns.size() * 2);
        for (String column : columns) {
            if (row.containsKey(column)) {
                key.put(column, row.get(column));
            } else if (fallback.containsKey(column)) {
                key.put(column, fallback.get(column));
            }
        }
        return key;
    }
}
