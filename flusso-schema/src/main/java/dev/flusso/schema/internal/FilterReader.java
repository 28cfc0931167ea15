package dev.flusso.schema.internal;

import dev.flusso.schema.Filter;
import dev.flusso.schema.FilterOp;
import dev.flusso.schema.OrderBy;
import dev.flusso.schema.Through;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads filters, junctions and sort orders, the shapes shared by joins, aggregates and the root. */
final class FilterReader {

    private static final String FILTER_SHAPES = "{ raw: <sql> }, { column, op: is_null|is_not_null } or { column, op, value }";
    private static final String OPS = Arrays.stream(FilterOp.values()).map(FilterOp::tag).collect(Collectors.joining(", "));

    private final Reading reading;

    FilterReader(Reading reading) {
        this.reading = reading;
    }

    /** {@return the filters, empty when absent} */
    List<Filter> filters(Node node, String path) {
        List<Filter> filters = new ArrayList<>();
        List<Node> items = node == null ? List.of() : reading.list(node, path, "a list of filters");
        if (items == null) {
            return filters;
        }
        for (int i = 0; i < items.size(); i++) {
            Filter filter = filter(items.get(i), path + "[" + i + "]");
            if (filter != null) {
                filters.add(filter);
            }
        }
        return filters;
    }

    private Filter filter(Node node, String path) {
        Node.MapNode map = reading.map(node, path, "a filter: " + FILTER_SHAPES);
        if (map == null) {
            return null;
        }
        if (map.has("raw")) {
            reading.allowOnly(map, path, Set.of("raw"));
            String raw = reading.string(map.get("raw"), path + ".raw", "a non-empty SQL condition");
            if (raw != null && raw.isBlank()) {
                reading.problem(map.get("raw").at(), path + ".raw", "found an empty condition, expected a non-empty SQL condition");
                return null;
            }
            return raw == null ? null : Filter.raw(raw.trim());
        }
        if (!map.has("column") || !map.has("op")) {
            // A misspelt key is the likely cause: name it on its own line too.
            reading.allowOnly(map, path, Set.of("raw", "column", "op", "value"));
            reading.problem(map.at(), path, "found the keys " + map.entries().keySet() + ", expected a filter: " + FILTER_SHAPES);
            return null;
        }
        reading.allowOnly(map, path, Set.of("column", "op", "value"));
        String column = reading.identifier(map.get("column"), path + ".column");
        String opText = reading.string(map.get("op"), path + ".op", "one of: " + OPS);
        FilterOp op = opText == null ? null : FilterOp.fromTag(opText).orElse(null);
        if (opText != null && op == null) {
            reading.problem(map.get("op").at(), path + ".op", "found '" + opText + "', expected one of: " + OPS);
        }
        if (op == null) {
            return null;
        }
        List<String> values = values(map, op, path);
        return column == null || values == null ? null : Filter.column(column, op, values);
    }

    private List<String> values(Node.MapNode map, FilterOp op, String path) {
        Node value = map.get("value");
        String where = path + ".value";
        if (op.arity() == FilterOp.Arity.NONE) {
            if (value != null) {
                reading.problem(map.keyAt("value"), where, "found a value, expected none: '" + op.tag() + "' takes no value");
                return null;
            }
            return List.of();
        }
        if (value == null) {
            reading.problem(map.at(), path, "found no 'value', expected one: '" + op.tag() + "' compares with a value");
            return null;
        }
        if (op.arity() == FilterOp.Arity.ONE) {
            String text = text(value, where);
            return text == null ? null : List.of(text);
        }
        if (!(value instanceof Node.ListNode list)) {
            reading.problem(value.at(), where, "found " + Node.describe(value) + ", expected a list of values for '" + op.tag() + "'");
            return null;
        }
        if (op.arity() == FilterOp.Arity.TWO && list.items().size() != 2) {
            reading.problem(value.at(), where, "found " + list.items().size() + " values, expected exactly 2 for 'between'");
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            String text = text(list.items().get(i), where + "[" + i + "]");
            if (text == null) {
                return null;
            }
            texts.add(text);
        }
        return texts;
    }

    /** A filter operand as the text the database will cast: {@code 10}, {@code 1.5}, {@code true}, {@code paid}. */
    private String text(Node node, String path) {
        if (!(node instanceof Node.ScalarNode scalar)) {
            reading.problem(node.at(), path, "found " + Node.describe(node) + ", expected a single value (string, number or boolean)");
            return null;
        }
        Object value = scalar.value();
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** {@return the junction, or null after a problem} */
    Through through(Node node, String path) {
        Node.MapNode map = reading.map(node, path, "a junction: { table, left_key, right_key }");
        if (map == null) {
            return null;
        }
        reading.allowOnly(map, path, Set.of("table", "left_key", "right_key"));
        Node table = reading.require(map, "table", path, "the junction table");
        Node left = reading.require(map, "left_key", path, "the junction's column pointing at this row");
        Node right = reading.require(map, "right_key", path, "the junction's column pointing at the related row");
        String name = table == null ? null : reading.identifier(table, path + ".table");
        List<String> leftKey = left == null ? null : reading.keyColumns(left, path + ".left_key");
        List<String> rightKey = right == null ? null : reading.keyColumns(right, path + ".right_key");
        return name == null || leftKey == null || rightKey == null ? null : new Through(name, leftKey, rightKey);
    }

    List<OrderBy> orderBy(Node node, String path) {
        List<OrderBy> order = new ArrayList<>();
        List<Node> items = reading.list(node, path, "a list of { column, direction }");
        if (items == null) {
            return order;
        }
        for (int i = 0; i < items.size(); i++) {
            String where = path + "[" + i + "]";
            Node.MapNode map = reading.map(items.get(i), where, "{ column, direction: asc|desc }");
            if (map == null) {
                continue;
            }
            reading.allowOnly(map, where, Set.of("column", "direction"));
            Node columnNode = reading.require(map, "column", where, "the column to sort by");
            String column = columnNode == null ? null : reading.identifier(columnNode, where + ".column");
            boolean descending = false;
            if (!Reading.isNull(map.get("direction"))) {
                String direction = reading.string(map.get("direction"), where + ".direction", "asc or desc");
                if (direction != null && !direction.equals("asc") && !direction.equals("desc")) {
                    reading.problem(map.get("direction").at(), where + ".direction", "found '" + direction + "', expected asc or desc");
                }
                descending = "desc".equals(direction);
            }
            if (column != null) {
                order.add(new OrderBy(column, descending));
            }
        }
        return order;
    }
}
