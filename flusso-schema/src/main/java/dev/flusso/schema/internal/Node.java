package dev.flusso.schema.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed file as a tree that remembers where each value was written, so that every problem can name its line
 * and column. Jackson's own trees drop locations.
 */
public sealed interface Node {

    /** {@return where the value starts} */
    Location at();

    /** A 1-based line and column. */
    record Location(int line, int column) {
        public static final Location NONE = new Location(0, 0);
    }

    /** A mapping (YAML) or table (TOML), keys in file order. */
    record MapNode(Location at, Map<String, Node> entries, Map<String, Location> keyLocations) implements Node {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLocations = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
        }

        public Node get(String key) {
            return entries.get(key);
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        /** {@return where the key was written, or where the mapping starts if the key is absent} */
        public Location keyAt(String key) {
            return keyLocations.getOrDefault(key, at);
        }
    }

    /** A sequence or array. */
    record ListNode(Location at, List<Node> items) implements Node {
        public ListNode {
            items = List.copyOf(items);
        }
    }

    /**
     * A scalar: {@code String}, {@code Long}, {@code BigInteger}, {@code Double}, {@code BigDecimal},
     * {@code Boolean}, or {@code null}.
     */
    record ScalarNode(Location at, Object value) implements Node {
    }

    /** {@return how a problem message describes the value: its kind, and a short scalar's text} */
    static String describe(Node node) {
        if (node instanceof MapNode) {
            return "a mapping";
        }
        if (node instanceof ListNode) {
            return "a list";
        }
        Object value = ((ScalarNode) node).value();
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return s.length() > 40 ? "a long string" : "'" + s + "'";
        }
        if (value instanceof Boolean b) {
            return "the boolean " + b;
        }
        String number = value.toString();
        return number.length() > 40 ? "a number of " + number.length() + " characters" : "the number " + number;
    }
}
