package dev.flusso.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows of a related table folded into the document.
 *
 * @param name the document key
 * @param kind where the key lives and how many rows come back
 * @param table the related table, in the index's database schema
 * @param primaryKey the related table's primary-key columns, in key order (several: our composite-key extension)
 * @param key {@code belongs_to}: this row's columns pointing at the related row; {@code has_one}/{@code has_many}:
 *     the related table's columns pointing back at this row; empty for {@code many_to_many}
 * @param through the junction of a {@code many_to_many}, or {@code null}
 * @param nullable whether a to-one join may be null (not {@code required}); always {@code false} for to-many
 * @param filters conditions on the related rows
 * @param orderBy the related rows' order
 * @param limit the most related rows kept, or {@code null} for all
 * @param fields the related row's fields
 * @param options OpenSearch property options
 */
public record JoinField(
        String name,
        JoinKind kind,
        String table,
        List<String> primaryKey,
        List<String> key,
        Through through,
        boolean nullable,
        List<Filter> filters,
        List<OrderBy> orderBy,
        Long limit,
        List<Field> fields,
        Map<String, Object> options) implements Field {

    public JoinField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(table, "table");
        primaryKey = List.copyOf(primaryKey);
        key = List.copyOf(key);
        filters = List.copyOf(filters);
        orderBy = List.copyOf(orderBy);
        fields = List.copyOf(fields);
        options = Values.freeze(options);
    }
}
