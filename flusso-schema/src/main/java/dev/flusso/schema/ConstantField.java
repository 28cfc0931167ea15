package dev.flusso.schema;

import java.util.Map;
import java.util.Objects;

/**
 * The same value in every document.
 *
 * @param name the document key
 * @param value a JSON-like value, possibly {@code null}
 */
public record ConstantField(String name, Object value) implements Field {

    public ConstantField {
        Objects.requireNonNull(name, "name");
        value = Values.freezeValue(value);
    }

    /** {@return no options: a constant takes none} */
    @Override
    public Map<String, Object> options() {
        return Map.of();
    }
}
