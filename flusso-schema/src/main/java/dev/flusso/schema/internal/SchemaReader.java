package dev.flusso.schema.internal;

import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.Filter;
import dev.flusso.schema.GeoField;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.MapField;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.SoftDelete;
import java.util.List;
import java.util.Set;

/** Reads a schema file's tree into an {@link IndexSchema}, recording every problem it finds. */
public final class SchemaReader {

    private static final Set<String> TOP_LEVEL = Set.of("version", "table", "schema", "primary_key", "doc_id",
            "soft_delete", "filters", "fields");

    private final Reading reading;
    private final String base;

    private SchemaReader(Reading reading, String base) {
        this.reading = reading;
        this.base = base;
    }

    /** {@return the schema, or {@code null} when the file has problems (all recorded)} */
    public static IndexSchema readYaml(String file, String yaml, Problems problems) {
        Node root = TreeReader.readYaml(file, yaml, problems);
        return root == null ? null : readTree(file, root, "", problems);
    }

    /**
     * @param base the path of the schema inside its file, empty for a schema file; problems' paths start with it
     * @return the schema, or {@code null} when the tree has problems (all recorded)
     */
    public static IndexSchema readTree(String file, Node root, String base, Problems problems) {
        int before = problems.list().size();
        IndexSchema schema = new SchemaReader(new Reading(file, problems), base).read(root);
        return problems.list().size() == before ? schema : null;
    }

    private String at(String key) {
        return Reading.join(base, key);
    }

    private IndexSchema read(Node root) {
        Node.MapNode map = reading.map(root, base, "a schema: a mapping with version, table and fields");
        if (map == null) {
            return null;
        }
        reading.allowOnly(map, base, TOP_LEVEL);
        int version = version(map);
        reading.version(version);
        Node tableNode = reading.require(map, "table", base, "the root table, such as 'table: users'");
        String table = tableNode == null ? null : reading.identifier(tableNode, at("table"));
        String schema = Reading.isNull(map.get("schema")) ? "public" : reading.identifier(map.get("schema"), at("schema"));
        List<String> primaryKey = Reading.isNull(map.get("primary_key")) ? List.of()
                : reading.keyColumns(map.get("primary_key"), at("primary_key"));
        if (map.has("doc_id")) {
            reading.problem(map.keyAt("doc_id"), at("doc_id"), "found 'doc_id', expected none: the document id always comes"
                    + " from primary_key");
        }
        Node fieldsNode = reading.require(map, "fields", base, "the document's fields, such as '- keyword: email'");
        FieldReader fieldReader = new FieldReader(reading);
        List<String> activeKey = primaryKey == null ? List.of() : primaryKey;
        List<Field> fields = fieldsNode == null ? List.of() : fieldReader.fields(fieldsNode, at("fields"), activeKey);
        FilterReader filterReader = new FilterReader(reading);
        SoftDelete softDelete = Reading.isNull(map.get("soft_delete")) ? null : softDelete(map.get("soft_delete"), fields, filterReader);
        List<Filter> filters = filterReader.filters(map.get("filters"), at("filters"));
        if (table == null || schema == null || primaryKey == null) {
            return null;
        }
        return new IndexSchema(version, table, schema, primaryKey, softDelete, filters, fields);
    }

    private int version(Node.MapNode map) {
        Node node = reading.require(map, "version", base, "the format version, 'version: 1'");
        if (node == null) {
            return 1;
        }
        if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof Long v && v >= 1 && v <= IndexSchema.LATEST_VERSION) {
            return v.intValue();
        }
        reading.problem(node.at(), at("version"), "found " + Node.describe(node) + ", expected a supported version: 1, or 2 for our extensions");
        return IndexSchema.LATEST_VERSION;
    }

    private SoftDelete softDelete(Node node, List<Field> fields, FilterReader filterReader) {
        String path = at("soft_delete");
        Node.MapNode map = reading.map(node, path, "{ column: <marker> } or { field: <document key> }, with optional 'when'");
        if (map == null) {
            return null;
        }
        reading.allowOnly(map, path, Set.of("field", "column", "when", "deleted_when"));
        List<Filter> when = filterReader.filters(map.get("when"), path + ".when");
        boolean deletedWhen = true;
        if (map.has("deleted_when")) {
            reading.requireVersion2(map.keyAt("deleted_when"), path + ".deleted_when", "a negated soft delete ('deleted_when')");
            Boolean value = reading.bool(map.get("deleted_when"), path + ".deleted_when");
            deletedWhen = value == null || value;
        }
        if (map.has("field") == map.has("column")) {
            reading.problem(map.at(), path, "found " + (map.has("field") ? "both 'field' and 'column'" : "neither 'field' nor 'column'")
                    + ", expected exactly one of them");
            return null;
        }
        if (map.has("column")) {
            String column = reading.identifier(map.get("column"), path + ".column");
            return column == null ? null : new SoftDelete(null, column, deletedWhen, when);
        }
        String field = reading.fieldName(map.get("field"), path + ".field");
        if (field == null) {
            return null;
        }
        String column = rootColumn(fields, field);
        if (column == null) {
            reading.problem(map.get("field").at(), path + ".field", "found '" + field + "', expected the document key of a field"
                    + " that reads one column of the root row (not a join, aggregate, constant or computed field)");
            return null;
        }
        return new SoftDelete(field, column, deletedWhen, when);
    }

    /** The column of the first root-row field with that key, looking into objects but not into joins. */
    private static String rootColumn(List<Field> fields, String name) {
        for (Field field : fields) {
            if (field.name().equals(name)) {
                if (field instanceof ScalarField scalar) {
                    return scalar.column();
                }
                if (field instanceof CustomField custom) {
                    return custom.column();
                }
                if (field instanceof MapField map) {
                    return map.column();
                }
                return field instanceof GeoField geo ? geo.column() : null;
            }
            if (field instanceof ObjectField object) {
                String column = rootColumn(object.fields(), name);
                if (column != null) {
                    return column;
                }
            }
        }
        return null;
    }
}
