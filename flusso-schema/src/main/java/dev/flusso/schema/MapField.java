package dev.flusso.schema;

import java.util.Map;
import java.util.Objects;

/**
 * An object with keys unknown in advance, read from a JSON column, whose values share one type.
 *
 * @param name the document key
 * @param values the type of every value
 * @param column the JSON column read
 * @param nullable whether the value may be null
 * @param options OpenSearch property options; {@code dynamic: true} unless the user set {@code dynamic}
 */
public record MapField(String name, ScalarType values, String column, boolean nullable, Map<String, Object> options)
        implements Field {

    public MapField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(column, "column");
        options = Values.freeze(options);
    }
}
