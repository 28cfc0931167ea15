package dev.flusso.schema.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The typed reads shared by the schema and deployment readers. Each read records a problem and returns
 * {@code null} (or a neutral value) instead of throwing, so that reading goes on and finds every problem.
 */
public final class Reading {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern FIELD_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final int MAX_NAME = 63;

    private final String file;
    private final Problems problems;
    private int version = 1;

    public Reading(String file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    public String file() {
        return file;
    }

    public void version(int version) {
        this.version = version;
    }

    public void problem(Node.Location at, String path, String message) {
        problems.add(file, at, path, message);
    }

    /** Records a problem unless the file declares version 2, which our extensions need. */
    public void requireVersion2(Node.Location at, String path, String feature) {
        if (version < 2) {
            problem(at, path, "found " + feature + ", a version 2 feature, expected `version: 2` at the top of the file to use it");
        }
    }

    public Node.MapNode map(Node node, String path, String expected) {
        if (node instanceof Node.MapNode map) {
            return map;
        }
        problem(node.at(), path, "found " + Node.describe(node) + ", expected " + expected);
        return null;
    }

    /** {@return the list, an empty list for null, or null after a problem} */
    public List<Node> list(Node node, String path, String expected) {
        if (node instanceof Node.ListNode list) {
            return list.items();
        }
        if (isNull(node)) {
            return List.of();
        }
        problem(node.at(), path, "found " + Node.describe(node) + ", expected " + expected);
        return null;
    }

    public static boolean isNull(Node node) {
        return node == null || node instanceof Node.ScalarNode scalar && scalar.value() == null;
    }

    public String string(Node node, String path, String expected) {
        if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof String text) {
            return text;
        }
        problem(node.at(), path, "found " + Node.describe(node) + ", expected " + expected);
        return null;
    }

    public Boolean bool(Node node, String path) {
        if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof Boolean b) {
            return b;
        }
        problem(node.at(), path, "found " + Node.describe(node) + ", expected true or false");
        return null;
    }

    public Long nonNegative(Node node, String path) {
        if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof Long n && n >= 0) {
            return n;
        }
        problem(node.at(), path, "found " + Node.describe(node) + ", expected a whole number of at least 0");
        return null;
    }

    /** A database identifier: trimmed and lowercased, as the original tool reads it. */
    public String identifier(Node node, String path) {
        String text = string(node, path, "a database identifier");
        if (text == null) {
            return null;
        }
        String name = text.trim().toLowerCase(Locale.ROOT);
        if (!IDENTIFIER.matcher(name).matches() || name.length() > MAX_NAME) {
            problem(node.at(), path, "found '" + text + "', expected a database identifier: a letter or _, then letters,"
                    + " digits or _, at most " + MAX_NAME + " characters");
            return null;
        }
        return name;
    }

    /** A document key: trimmed, case kept. */
    public String fieldName(Node node, String path) {
        if (!(node instanceof Node.ScalarNode scalar) || !(scalar.value() instanceof String text)) {
            problem(node.at(), path, "found " + Node.describe(node) + ", expected a document key such as 'email'");
            return null;
        }
        String name = text.trim();
        if (!FIELD_NAME.matcher(name).matches() || name.length() > MAX_NAME) {
            problem(node.at(), path, "found '" + text + "', expected a document key: a letter or _, then letters,"
                    + " digits or _, at most " + MAX_NAME + " characters");
            return null;
        }
        return name;
    }

    /**
     * Key columns: one identifier, or (version 2, composite keys) a non-empty list of distinct identifiers.
     *
     * @return the columns, or {@code null} after a problem
     */
    public List<String> keyColumns(Node node, String path) {
        if (node instanceof Node.ListNode list) {
            requireVersion2(node.at(), path, "a list of key columns");
            if (list.items().isEmpty()) {
                problem(node.at(), path, "found an empty list, expected at least one key column");
                return null;
            }
            List<String> columns = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < list.items().size(); i++) {
                String column = identifier(list.items().get(i), path + "[" + i + "]");
                if (column == null) {
                    ok = false;
                } else if (columns.contains(column)) {
                    problem(list.items().get(i).at(), path + "[" + i + "]", "found the column '" + column
                            + "' twice, expected distinct key columns");
                    ok = false;
                } else {
                    columns.add(column);
                }
            }
            return ok ? columns : null;
        }
        String column = identifier(node, path);
        return column == null ? null : List.of(column);
    }

    /** Records a problem for each key not allowed, suggesting the allowed key it most likely misspells. */
    public void allowOnly(Node.MapNode map, String path, Set<String> allowed) {
        for (String key : map.entries().keySet()) {
            if (!allowed.contains(key)) {
                String hint = closest(key, allowed);
                problem(map.keyAt(key), join(path, key), "found unknown key '" + key + "'"
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                        + ", expected one of: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** {@return the value at the key, or null after recording that it is missing} */
    public Node require(Node.MapNode map, String key, String path, String expected) {
        Node node = map.get(key);
        if (node == null) {
            problem(map.at(), path, "found no '" + key + "', expected " + expected);
        }
        return node;
    }

    public static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A node as a plain JSON-like value: maps, lists, strings, numbers, booleans and nulls. */
    public static Object plain(Node node) {
        if (node instanceof Node.MapNode map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((key, value) -> out.put(key, plain(value)));
            return out;
        }
        if (node instanceof Node.ListNode list) {
            List<Object> out = new ArrayList<>();
            list.items().forEach(item -> out.add(plain(item)));
            return out;
        }
        return ((Node.ScalarNode) node).value();
    }

    private static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : new TreeSet<>(allowed)) {
            int distance = distance(key, candidate);
            if (distance > 0 && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
