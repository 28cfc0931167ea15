package dev.flusso.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A value computed over a related table's rows.
 *
 * @param name the document key
 * @param op what is computed
 * @param table the related table
 * @param column the aggregated column for {@code sum}, {@code avg}, {@code min} and {@code max}; else {@code null}
 * @param valueType the result type of {@code sum}, {@code min} and {@code max}; else {@code null}
 * @param elementType the element type of {@code ids}; else {@code null}
 * @param foreignKey the related table's columns pointing back at this row; empty when {@code through} is set
 * @param through the junction table, or {@code null}
 * @param filters conditions on the related rows
 * @param options OpenSearch property options
 */
public record AggregateField(
        String name,
        AggregateOp op,
        String table,
        String column,
        ScalarType valueType,
        ScalarType elementType,
        List<String> foreignKey,
        Through through,
        List<Filter> filters,
        Map<String, Object> options) implements Field {

    public AggregateField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(table, "table");
        foreignKey = List.copyOf(foreignKey);
        filters = List.copyOf(filters);
        options = Values.freeze(options);
    }
}
