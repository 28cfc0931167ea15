package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table as the database declares it.
 *
 * @param ref the table
 * @param kind {@code pg_class.relkind}: r table, p partitioned, v view, m materialized view, f foreign
 * @param replicaIdentity {@code pg_class.relreplident}: d default (the primary key), f full, i an index, n nothing
 * @param columns the columns by name, in column order
 * @param primaryKey the primary-key columns in key order; empty if none
 * @param uniqueKeys the column lists of every unique index without predicate or expression
 * @param identityIndex the columns of the replica identity index, when {@code replicaIdentity} is {@code i}
 */
public record Table(TableRef ref, char kind, char replicaIdentity, Map<String, Column> columns, List<String> primaryKey,
        List<List<String>> uniqueKeys, List<String> identityIndex) {

    public Optional<Column> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** {@return the columns a logical decoding capture sees in a deletion's old row} */
    public List<String> identityColumns() {
        return switch (replicaIdentity) {
            case 'f' -> List.copyOf(columns.keySet());
            case 'i' -> identityIndex;
            case 'd' -> primaryKey;
            default -> List.of();
        };
    }
}
