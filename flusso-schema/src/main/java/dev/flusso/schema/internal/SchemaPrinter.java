package dev.flusso.schema.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flusso.schema.AggregateField;
import dev.flusso.schema.ConstantField;
import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.Filter;
import dev.flusso.schema.GeoField;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.JoinKind;
import dev.flusso.schema.MapField;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.OrderBy;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.SoftDelete;
import dev.flusso.schema.Through;
import dev.flusso.schema.Transform;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a schema back in the file format, every default spelt out, so that it reads back as an equal model. The
 * lock file stores schemas in this form, and the canonical form is what the fingerprint hashes.
 */
public final class SchemaPrinter {

    // Strings are always quoted: `yes`, `null` or `010` then stay strings when read back.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private SchemaPrinter() {
    }

    public static String toYaml(IndexSchema schema) {
        try {
            return YAML.writeValueAsString(toTree(schema));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the schema as a JSON-like tree in the file format} */
    public static Map<String, Object> toTree(IndexSchema schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", schema.version());
        out.put("table", schema.table());
        out.put("schema", schema.schema());
        if (!schema.primaryKey().isEmpty()) {
            out.put("primary_key", key(schema.primaryKey()));
        }
        if (schema.softDelete() != null) {
            out.put("soft_delete", softDelete(schema.softDelete()));
        }
        if (!schema.filters().isEmpty()) {
            out.put("filters", filters(schema.filters()));
        }
        out.put("fields", fields(schema.fields()));
        return out;
    }

    private static Object key(List<String> columns) {
        return columns.size() == 1 ? columns.get(0) : columns;
    }

    private static Map<String, Object> softDelete(SoftDelete softDelete) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (softDelete.field() != null) {
            out.put("field", softDelete.field());
        } else {
            out.put("column", softDelete.column());
        }
        if (!softDelete.deletedWhen()) {
            out.put("deleted_when", false);
        }
        if (!softDelete.when().isEmpty()) {
            out.put("when", filters(softDelete.when()));
        }
        return out;
    }

    private static List<Object> filters(List<Filter> filters) {
        return filters.stream().map(SchemaPrinter::filter).toList();
    }

    private static Object filter(Filter filter) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (filter.raw() != null) {
            out.put("raw", filter.raw());
            return out;
        }
        out.put("column", filter.column());
        out.put("op", filter.op().tag());
        switch (filter.op().arity()) {
            case NONE -> { }
            case ONE -> out.put("value", filter.values().get(0));
            default -> out.put("value", filter.values());
        }
        return out;
    }

    private static List<Object> fields(List<Field> fields) {
        return fields.stream().map(SchemaPrinter::field).toList();
    }

    private static Object field(Field field) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (field instanceof ScalarField f) {
            out.put(f.type().tag() + (f.array() ? "[]" : ""), f.name());
            source(out, f.column(), f.expression());
            out.put("required", !f.nullable());
            if (!f.transforms().isEmpty()) {
                out.put("transforms", f.transforms().stream().map(Transform::tag).toList());
            }
            putIfPresent(out, "default", f.defaultValue());
            if (!f.variants().isEmpty()) {
                out.put("variants", f.variants());
            }
        } else if (field instanceof CustomField f) {
            out.put("custom", f.name());
            out.put("postgres", f.postgresTypes());
            out.put("opensearch", f.openSearchType());
            source(out, f.column(), f.expression());
            out.put("required", !f.nullable());
            putIfPresent(out, "default", f.defaultValue());
        } else if (field instanceof GeoField f) {
            out.put("geo", f.name());
            if (f.column() != null) {
                out.put("column", f.column());
            } else {
                out.put("lat", f.lat());
                out.put("lon", f.lon());
            }
            out.put("required", !f.nullable());
        } else if (field instanceof MapField f) {
            out.put("map", f.name());
            out.put("values", f.values().tag());
            out.put("column", f.column());
            out.put("required", !f.nullable());
        } else if (field instanceof ConstantField f) {
            out.put("constant", f.name());
            out.put("value", f.value());
        } else if (field instanceof ObjectField f) {
            out.put("object", f.name());
            out.put("fields", fields(f.fields()));
        } else if (field instanceof JoinField f) {
            join(out, f);
        } else if (field instanceof AggregateField f) {
            aggregate(out, f);
        }
        if (!field.options().isEmpty()) {
            out.put("options", field.options());
        }
        return out;
    }

    private static void source(Map<String, Object> out, String column, String expression) {
        if (column != null) {
            out.put("column", column);
        } else {
            out.put("expression", expression);
        }
    }

    private static void putIfPresent(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static void join(Map<String, Object> out, JoinField f) {
        out.put(f.kind().tag(), f.name());
        out.put("table", f.table());
        out.put("primary_key", key(f.primaryKey()));
        switch (f.kind()) {
            case BELONGS_TO -> out.put("column", key(f.key()));
            case HAS_ONE, HAS_MANY -> out.put("foreign_key", key(f.key()));
            case MANY_TO_MANY -> out.put("through", through(f.through()));
        }
        if (!f.kind().toMany()) {
            out.put("required", !f.nullable());
        }
        if (!f.filters().isEmpty()) {
            out.put("filters", filters(f.filters()));
        }
        if (!f.orderBy().isEmpty() && f.kind() != JoinKind.BELONGS_TO) {
            out.put("order_by", f.orderBy().stream().map(SchemaPrinter::orderBy).toList());
        }
        putIfPresent(out, "limit", f.limit());
        out.put("fields", fields(f.fields()));
    }

    private static Object orderBy(OrderBy orderBy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("column", orderBy.column());
        out.put("direction", orderBy.descending() ? "desc" : "asc");
        return out;
    }

    private static Map<String, Object> through(Through through) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("table", through.table());
        out.put("left_key", key(through.leftKey()));
        out.put("right_key", key(through.rightKey()));
        return out;
    }

    private static void aggregate(Map<String, Object> out, AggregateField f) {
        out.put(f.op().tag(), f.name());
        out.put("table", f.table());
        putIfPresent(out, "column", f.column());
        putIfPresent(out, "value_type", f.valueType() == null ? null : f.valueType().tag());
        putIfPresent(out, "element_type", f.elementType() == null ? null : f.elementType().tag());
        if (f.through() != null) {
            out.put("through", through(f.through()));
        } else {
            out.put("foreign_key", key(f.foreignKey()));
        }
        if (!f.filters().isEmpty()) {
            out.put("filters", filters(f.filters()));
        }
    }

}
