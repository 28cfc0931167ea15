package dev.flusso.schema.internal;

import dev.flusso.schema.AggregateField;
import dev.flusso.schema.AggregateOp;
import dev.flusso.schema.Field;
import dev.flusso.schema.Filter;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.JoinKind;
import dev.flusso.schema.OrderBy;
import dev.flusso.schema.ScalarType;
import dev.flusso.schema.Through;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads joins ({@code belongs_to} … {@code many_to_many}) and aggregates ({@code count} … {@code ids}). */
final class RelationReader {

    private static final Set<String> JOIN_SIBLINGS = Set.of("table", "primary_key", "fields", "required", "column",
            "foreign_key", "through", "filters", "order_by", "limit", "options");
    private static final Set<String> AGGREGATE_SIBLINGS = Set.of("table", "column", "value_type", "element_type",
            "foreign_key", "through", "filters", "options");

    private final Reading reading;
    private final FilterReader filters;
    private final FieldReader fields;

    RelationReader(Reading reading, FilterReader filters, FieldReader fields) {
        this.reading = reading;
        this.filters = filters;
        this.fields = fields;
    }

    Field join(FieldReader.Item it) {
        fields.allowOnly(it, JOIN_SIBLINGS);
        JoinKind kind = JoinKind.valueOf(it.tag().toUpperCase(Locale.ROOT));
        String table = identifier(it, "table", "the related table");
        Node pkNode = reading.require(it.map(), "primary_key", it.path(), "the related table's primary key");
        List<String> primaryKey = pkNode == null ? null : reading.keyColumns(pkNode, it.at("primary_key"));
        String keyName = switch (kind) {
            case BELONGS_TO -> "column";
            case HAS_ONE, HAS_MANY -> "foreign_key";
            case MANY_TO_MANY -> "through";
        };
        for (String other : List.of("column", "foreign_key", "through")) {
            if (!other.equals(keyName) && it.has(other)) {
                reading.problem(it.map().keyAt(other), it.at(other), "found '" + other + "', expected no '" + other + "' on a "
                        + kind.tag() + " join: it takes " + hint(kind));
            }
        }
        if (kind != JoinKind.BELONGS_TO && !it.has(keyName)) {
            reading.problem(it.map().at(), it.path(), "found no '" + keyName + "', expected the join's key: " + hint(kind));
        }
        if (kind == JoinKind.BELONGS_TO) {
            rejectOnToOne(it, "order_by");
        }
        if (!kind.toMany()) {
            rejectOnToOne(it, "limit");
        } else if (it.map().has("required")) {
            reading.problem(it.map().keyAt("required"), it.at("required"), "found 'required', expected none on a " + kind.tag()
                    + " join: a to-many join is always a list, empty when no rows match");
        }
        List<String> key = switch (kind) {
            case BELONGS_TO -> it.has("column") ? reading.keyColumns(it.get("column"), it.at("column"))
                    : List.of(it.name().toLowerCase(Locale.ROOT));
            case HAS_ONE, HAS_MANY -> it.has("foreign_key") ? reading.keyColumns(it.get("foreign_key"), it.at("foreign_key")) : null;
            case MANY_TO_MANY -> List.of();
        };
        Through through = kind == JoinKind.MANY_TO_MANY && it.has("through") ? filters.through(it.get("through"), it.at("through")) : null;
        checkArity(it, kind, primaryKey, key, through);
        boolean nullable = !kind.toMany() && !fields.required(it);
        List<OrderBy> orderBy = it.has("order_by") && kind != JoinKind.BELONGS_TO ? filters.orderBy(it.get("order_by"), it.at("order_by")) : List.of();
        Long limit = it.has("limit") && kind.toMany() ? reading.nonNegative(it.get("limit"), it.at("limit")) : null;
        Node fieldsNode = reading.require(it.map(), "fields", it.path(), "the related row's fields");
        List<Field> children = fieldsNode == null ? List.of()
                : fields.fields(fieldsNode, it.at("fields"), primaryKey == null ? List.of() : primaryKey);
        List<Filter> joinFilters = filters.filters(it.get("filters"), it.at("filters"));
        Map<String, Object> options = fields.options(it);
        if (table == null || primaryKey == null || key == null || kind == JoinKind.MANY_TO_MANY && through == null) {
            return null;
        }
        return new JoinField(it.name(), kind, table, primaryKey, key, through, nullable, joinFilters, orderBy, limit, children, options);
    }

    private void rejectOnToOne(FieldReader.Item it, String key) {
        if (it.map().has(key)) {
            reading.problem(it.map().keyAt(key), it.at(key), "found '" + key + "', expected none on a " + it.tag()
                    + " join: a to-one join picks a single row");
        }
    }

    /** Composite keys (our extension) must pair column for column with the key they point at. */
    private void checkArity(FieldReader.Item it, JoinKind kind, List<String> primaryKey, List<String> key, Through through) {
        switch (kind) {
            case BELONGS_TO -> arity(it, "column", key, primaryKey, "the related table's primary key");
            case HAS_ONE, HAS_MANY -> arity(it, "foreign_key", key, it.activeKey(), "this row's primary key");
            case MANY_TO_MANY -> {
                if (through != null) {
                    arity(it, "through.left_key", through.leftKey(), it.activeKey(), "this row's primary key");
                    arity(it, "through.right_key", through.rightKey(), primaryKey, "the related table's primary key");
                }
            }
        }
    }

    private void arity(FieldReader.Item it, String key, List<String> columns, List<String> target, String what) {
        if (columns == null || target == null || target.isEmpty() || columns.size() == target.size()) {
            return;
        }
        String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        reading.problem(it.map().keyAt(top), it.at(key), "found " + columns.size() + " key column(s) " + columns + ", expected "
                + target.size() + " to match " + what + " " + target);
    }

    private static String hint(JoinKind kind) {
        return switch (kind) {
            case BELONGS_TO -> "'column', this table's column pointing at the related row (defaults to the field name)";
            case HAS_ONE, HAS_MANY -> "'foreign_key', the related table's column pointing back at this row";
            case MANY_TO_MANY -> "'through', the junction table and its two keys";
        };
    }

    Field aggregate(FieldReader.Item it) {
        fields.allowOnly(it, AGGREGATE_SIBLINGS);
        AggregateOp op = AggregateOp.valueOf(it.tag().toUpperCase(Locale.ROOT));
        String table = identifier(it, "table", "the related table");
        if (op != AggregateOp.IDS && it.map().has("element_type")) {
            reading.problem(it.map().keyAt("element_type"), it.at("element_type"), "found 'element_type', expected none: only ids takes it");
        }
        String column = null;
        ScalarType valueType = null;
        ScalarType elementType = null;
        switch (op) {
            // Like the original tool, count ignores column and value_type, and avg ignores value_type.
            case COUNT -> { }
            case AVG -> column = identifier(it, "column", "the column to average");
            case SUM, MIN, MAX -> {
                column = identifier(it, "column", "the column to " + op.tag());
                Node type = reading.require(it.map(), "value_type", it.path(), "the result's type, which mirrors the column's");
                valueType = type == null ? null : fields.typeToken(type, it.at("value_type"), "an aggregate's result");
            }
            case IDS -> {
                for (String key : List.of("column", "value_type")) {
                    if (it.map().has(key)) {
                        reading.problem(it.map().keyAt(key), it.at(key), "found '" + key + "', expected none on ids:"
                                + " it collects the related table's primary key");
                    }
                }
                Node type = reading.require(it.map(), "element_type", it.path(), "the type of the collected keys, such as long or keyword");
                elementType = type == null ? null : fields.typeToken(type, it.at("element_type"), "the collected keys");
            }
        }
        List<String> foreignKey = List.of();
        Through through = null;
        if (it.has("foreign_key") == it.has("through")) {
            reading.problem(it.map().at(), it.path(), "found " + (it.has("through") ? "both 'foreign_key' and 'through'" : "neither 'foreign_key' nor 'through'")
                    + ", expected exactly one of them");
        } else if (it.has("foreign_key")) {
            foreignKey = reading.keyColumns(it.get("foreign_key"), it.at("foreign_key"));
            arity(it, "foreign_key", foreignKey, it.activeKey(), "this row's primary key");
        } else {
            through = filters.through(it.get("through"), it.at("through"));
            if (through != null) {
                arity(it, "through.left_key", through.leftKey(), it.activeKey(), "this row's primary key");
            }
        }
        List<Filter> aggregateFilters = filters.filters(it.get("filters"), it.at("filters"));
        Map<String, Object> options = fields.options(it);
        boolean incomplete = table == null || foreignKey == null || through == null && foreignKey.isEmpty()
                || op != AggregateOp.COUNT && op != AggregateOp.IDS && column == null
                || valueType == null && (op == AggregateOp.SUM || op == AggregateOp.MIN || op == AggregateOp.MAX)
                || op == AggregateOp.IDS && elementType == null;
        return incomplete ? null
                : new AggregateField(it.name(), op, table, column, valueType, elementType, foreignKey, through, aggregateFilters, options);
    }

    private String identifier(FieldReader.Item it, String key, String expected) {
        Node node = reading.require(it.map(), key, it.path(), expected);
        return node == null ? null : reading.identifier(node, it.at(key));
    }
}
