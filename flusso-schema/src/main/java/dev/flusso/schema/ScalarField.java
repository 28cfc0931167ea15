package dev.flusso.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A scalar read from one column of the row, or computed from it.
 *
 * @param name the document key
 * @param type the scalar type
 * @param column the column read, or {@code null} for a computed field
 * @param expression the SQL expression over the row for a computed field (our extension), or {@code null}
 * @param nullable whether the value may be null: not {@code required}, no {@code default}, not a primary-key column
 * @param array whether the column holds an array and the field is multi-valued (our {@code text[]} extension)
 * @param transforms applied in order before indexing
 * @param defaultValue used when the value is null: a {@code String}, {@code Long}, {@code Double} or
 *     {@code Boolean}; or {@code null} for none
 * @param variants an {@code enum}'s declared values in sort order; empty for other types
 * @param options OpenSearch property options
 */
public record ScalarField(
        String name,
        ScalarType type,
        String column,
        String expression,
        boolean nullable,
        boolean array,
        List<Transform> transforms,
        Object defaultValue,
        List<String> variants,
        Map<String, Object> options) implements Field {

    public ScalarField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if ((column == null) == (expression == null)) {
            throw new IllegalArgumentException("field '" + name + "' reads either a column or an expression");
        }
        transforms = List.copyOf(transforms);
        variants = List.copyOf(variants);
        options = Values.freeze(options);
    }
}
