package dev.flusso.schema;

import java.util.Optional;

/** The scalar types a schema field, map value, aggregate result or {@code ids} element can have. */
public enum ScalarType {
    TEXT("text", "text"),
    IDENTIFIER("identifier", "text"),
    KEYWORD("keyword", "keyword"),
    ENUM("enum", "keyword"),
    UUID("uuid", "keyword"),
    BOOLEAN("boolean", "boolean"),
    SHORT("short", "short"),
    INTEGER("integer", "integer"),
    LONG("long", "long"),
    FLOAT("float", "float"),
    DOUBLE("double", "double"),
    // OpenSearch has no exact decimal: double is lossy, a custom scaled_float is the exact alternative.
    DECIMAL("decimal", "double"),
    DATE("date", "date"),
    TIMESTAMP("timestamp", "date"),
    BINARY("binary", "binary"),
    JSON("json", "object");

    private final String tag;
    private final String openSearchType;

    ScalarType(String tag, String openSearchType) {
        this.tag = tag;
        this.openSearchType = openSearchType;
    }

    /** {@return the name written in schema files} */
    public String tag() {
        return tag;
    }

    /** {@return the OpenSearch mapping type} */
    public String openSearchType() {
        return openSearchType;
    }

    /** {@return whether a {@code map} field may hold values of this type} */
    public boolean isMapValue() {
        return this != BOOLEAN && this != BINARY && this != JSON;
    }

    /** {@return the type written as {@code tag}, if any} */
    public static Optional<ScalarType> fromTag(String tag) {
        for (ScalarType type : values()) {
            if (type.tag.equals(tag)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
