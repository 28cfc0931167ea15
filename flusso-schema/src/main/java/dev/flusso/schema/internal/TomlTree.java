package dev.flusso.schema.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a TOML file into a located {@link Node} tree. Jackson's TOML reader yields a tree without positions, so
 * positions come from a light scan of the text for table headers and {@code key =} lines; a value the scan cannot
 * place gets the position of its nearest placed ancestor.
 */
public final class TomlTree {

    private static final TomlMapper TOML = new TomlMapper();
    // Possessive quantifiers only: a lazy key followed by optional spaces backtracks in cubic time on a long line of
    // spaces, which TOML allows anywhere (and inside a multi-line string, a line may hold anything). unquote() trims.
    private static final Pattern HEADER = Pattern.compile("^\\s*+(\\[\\[?)([^\\]]++)\\]\\]?\\s*+(#.*)?$");
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*+([A-Za-z0-9_\\-.\"' ]++)\\s*+=");
    private static final Pattern INLINE_KEY = Pattern.compile("[{,]\\s*+([A-Za-z0-9_\\-\"']++)\\s*+=");

    private final Map<String, Node.Location> locations = new HashMap<>();

    private TomlTree() {
    }

    /** {@return the tree, or {@code null} after recording a syntax problem} */
    public static Node read(String file, String text, Problems problems) {
        JsonNode tree;
        try {
            tree = TOML.readTree(text);
        } catch (JacksonException e) {
            problems.add(file, TreeReader.location(e.getLocation()), "", "found a TOML syntax error ("
                    + firstLine(e.getOriginalMessage()) + "), expected a well-formed file");
            return null;
        }
        TomlTree locator = new TomlTree();
        locator.scan(text);
        return locator.convert(tree, "", new Node.Location(1, 1));
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return message == null ? "unreadable" : newline < 0 ? message : message.substring(0, newline);
    }

    private void scan(String text) {
        String table = "";
        Map<String, Integer> arrayCounts = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher header = HEADER.matcher(line);
            if (header.matches() && !line.contains("=")) {
                String name = unquote(header.group(2));
                if (header.group(1).equals("[[")) {
                    int index = arrayCounts.merge(name, 1, Integer::sum) - 1;
                    table = name + "[" + index + "]";
                } else {
                    table = name;
                }
                locations.putIfAbsent(table, new Node.Location(i + 1, line.indexOf('[') + 1));
                continue;
            }
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.find()) {
                String key = Reading.join(table, unquote(assignment.group(1)));
                locations.putIfAbsent(key, new Node.Location(i + 1, assignment.start(1) + 1));
                Matcher inline = INLINE_KEY.matcher(line);
                while (inline.find()) {
                    locations.putIfAbsent(key + "." + unquote(inline.group(1)), new Node.Location(i + 1, inline.start(1) + 1));
                }
            }
        }
    }

    private static String unquote(String key) {
        StringBuilder out = new StringBuilder();
        for (String part : key.split("\\.")) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(part.trim().replaceAll("^[\"']|[\"']$", ""));
        }
        return out.toString();
    }

    private Node.Location located(String path, Node.Location inherited) {
        return path.isEmpty() ? inherited : locations.getOrDefault(path, inherited);
    }

    /**
     * @param inherited where the nearest placed ancestor is: passed down rather than searched for by cutting the
     *     path, which took cubic time in the nesting depth
     */
    private Node convert(JsonNode node, String path, Node.Location inherited) {
        Node.Location at = located(path, inherited);
        if (node.isObject()) {
            Map<String, Node> entries = new LinkedHashMap<>();
            Map<String, Node.Location> keys = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                String childPath = Reading.join(path, entry.getKey());
                entries.put(entry.getKey(), convert(entry.getValue(), childPath, at));
                keys.put(entry.getKey(), located(childPath, at));
            }
            return new Node.MapNode(at, entries, keys);
        }
        if (node.isArray()) {
            List<Node> items = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                items.add(convert(node.get(i), path + "[" + i + "]", at));
            }
            return new Node.ListNode(at, items);
        }
        if (node.isBoolean()) {
            return new Node.ScalarNode(at, node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            return new Node.ScalarNode(at, node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return new Node.ScalarNode(at, node.doubleValue());
        }
        return new Node.ScalarNode(at, node.isNull() ? null : node.asText());
    }
}
