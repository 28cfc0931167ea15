package dev.flusso.schema.internal;

import dev.flusso.schema.AggregateField;
import dev.flusso.schema.ConstantField;
import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.GeoField;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.MapField;
import dev.flusso.schema.MappingOptions;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.ScalarType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Derives an index's OpenSearch mapping and settings from its schema alone. */
public final class MappingBuilder {

    private static final int IGNORE_ABOVE = 256;

    private final MappingOptions options;

    private MappingBuilder(MappingOptions options) {
        this.options = options;
    }

    /** {@return the {@code mappings} body: strict at the root, one property per field} */
    public static Map<String, Object> mappings(IndexSchema schema, MappingOptions options) {
        Map<String, Object> mappings = new LinkedHashMap<>();
        // Strict: a document key the schema does not declare is an error, not a silently guessed mapping.
        mappings.put("dynamic", "strict");
        mappings.put("properties", new MappingBuilder(options).properties(schema.fields(), ""));
        return mappings;
    }

    /** {@return the index {@code settings} body: shards, replicas and the analysis block} */
    public static Map<String, Object> settings(IndexSchema schema, MappingOptions options) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("number_of_shards", options.numberOfShards());
        index.put("number_of_replicas", options.numberOfReplicas());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("index", index);
        settings.put("analysis", Analysis.block(schema, options));
        return settings;
    }

    private Map<String, Object> properties(List<Field> fields, String parent) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Field field : fields) {
            String path = parent.isEmpty() ? field.name() : parent + "." + field.name();
            properties.put(field.name(), property(field, path));
        }
        return properties;
    }

    private Map<String, Object> property(Field field, String path) {
        Map<String, Object> property = new LinkedHashMap<>();
        String type = type(field);
        property.put("type", type);
        List<Field> children = children(field);
        if (options.autoSubfields() && children == null) {
            subfields(property, type);
        }
        if (field instanceof ScalarField scalar && !scalar.variants().isEmpty()) {
            // The rank sub-field sorts an enum in declared order, whether or not auto sub-fields are on.
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) property.computeIfAbsent("fields", k -> new LinkedHashMap<>());
            fields.put("sort", keyword(Analysis.enumSortName(path)));
        }
        if (field instanceof ScalarField scalar && scalar.type() == dev.flusso.schema.ScalarType.JSON) {
            // Kept, not indexed: any JSON value, whatever its keys, beneath a root whose dynamic mapping is strict.
            property.put("enabled", false);
        }
        // Options come last and replace whatever we derived under the same key: the user knows best.
        property.putAll(field.options());
        if (children != null) {
            property.put("properties", properties(children, path));
        }
        return property;
    }

    private static void subfields(Map<String, Object> property, String type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (type.equals("text")) {
            property.put("analyzer", "flusso_text");
            Map<String, Object> exact = new LinkedHashMap<>();
            exact.put("type", "keyword");
            exact.put("ignore_above", IGNORE_ABOVE);
            fields.put("keyword", exact);
        } else if (type.equals("keyword")) {
            Map<String, Object> text = new LinkedHashMap<>();
            text.put("type", "text");
            text.put("analyzer", "flusso_code");
            fields.put("text", text);
        } else {
            return;
        }
        fields.put("keyword_lowercase", keyword("flusso_lowercase"));
        property.put("fields", fields);
    }

    private static Map<String, Object> keyword(String normalizer) {
        Map<String, Object> keyword = new LinkedHashMap<>();
        keyword.put("type", "keyword");
        keyword.put("normalizer", normalizer);
        keyword.put("ignore_above", IGNORE_ABOVE);
        return keyword;
    }

    private static List<Field> children(Field field) {
        if (field instanceof ObjectField object) {
            return object.fields();
        }
        return field instanceof JoinField join ? join.fields() : null;
    }

    static String type(Field field) {
        if (field instanceof ScalarField scalar) {
            return scalar.type().openSearchType();
        }
        if (field instanceof CustomField custom) {
            return custom.openSearchType();
        }
        if (field instanceof GeoField) {
            return "geo_point";
        }
        if (field instanceof MapField || field instanceof ObjectField) {
            return "object";
        }
        if (field instanceof JoinField join) {
            return join.kind().toMany() ? "nested" : "object";
        }
        if (field instanceof AggregateField aggregate) {
            return switch (aggregate.op()) {
                case COUNT -> "long";
                case AVG -> "double";
                case SUM, MIN, MAX -> aggregate.valueType().openSearchType();
                case IDS -> aggregate.elementType().openSearchType();
            };
        }
        return constantType(((ConstantField) field).value());
    }

    private static String constantType(Object value) {
        if (value instanceof Boolean) {
            return ScalarType.BOOLEAN.openSearchType();
        }
        if (value instanceof Long || value instanceof java.math.BigInteger) {
            return "long";
        }
        if (value instanceof Number) {
            return "double";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "keyword" : constantType(list.get(0));
        }
        return value instanceof Map ? "object" : "keyword";
    }
}
