package dev.flusso.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A scalar with an explicit pair of types: the Postgres types it accepts and the OpenSearch type it maps to.
 *
 * @param name the document key
 * @param postgresTypes the Postgres column types accepted, free text
 * @param openSearchType the OpenSearch mapping type, emitted as written
 * @param column the column read, or {@code null} for a computed field
 * @param expression the SQL expression for a computed field (our extension), or {@code null}
 * @param nullable whether the value may be null
 * @param defaultValue used when the value is null, or {@code null}
 * @param options OpenSearch property options
 */
public record CustomField(
        String name,
        List<String> postgresTypes,
        String openSearchType,
        String column,
        String expression,
        boolean nullable,
        Object defaultValue,
        Map<String, Object> options) implements Field {

    public CustomField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(openSearchType, "openSearchType");
        if ((column == null) == (expression == null)) {
            throw new IllegalArgumentException("field '" + name + "' reads either a column or an expression");
        }
        postgresTypes = List.copyOf(postgresTypes);
        options = Values.freeze(options);
    }
}
