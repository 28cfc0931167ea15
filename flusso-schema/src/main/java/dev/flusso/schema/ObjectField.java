package dev.flusso.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fields of the same row grouped under one key; reads no other table.
 *
 * @param name the document key
 * @param fields the grouped fields
 * @param options OpenSearch property options
 */
public record ObjectField(String name, List<Field> fields, Map<String, Object> options) implements Field {

    public ObjectField {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
        options = Values.freeze(options);
    }
}
