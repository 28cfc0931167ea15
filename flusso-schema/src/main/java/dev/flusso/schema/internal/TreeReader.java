package dev.flusso.schema.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a YAML or JSON document into a located {@link Node} tree. Duplicate keys are problems, not silently
 * merged: the last one would otherwise win without the user knowing.
 */
public final class TreeReader {

    // YAML 1.2 reading: only true/false are booleans; yes, no, on and off stay strings, as in the original tool.
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();
    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    private final String file;
    private final Problems problems;

    private TreeReader(String file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /** {@return the YAML document's tree, or {@code null} after recording a syntax problem} */
    public static Node readYaml(String file, String text, Problems problems) {
        try (JsonParser parser = YAML.createParser(text)) {
            return new TreeReader(file, problems).document(parser);
        } catch (IOException e) {
            return syntaxProblem(file, e, problems);
        }
    }

    /** {@return the JSON document's tree, or {@code null} after recording a syntax problem} */
    public static Node readJson(String file, String text, Problems problems) {
        try (JsonParser parser = JSON.createParser(text)) {
            return new TreeReader(file, problems).document(parser);
        } catch (IOException e) {
            return syntaxProblem(file, e, problems);
        }
    }

    private static Node syntaxProblem(String file, IOException e, Problems problems) {
        Node.Location at = Node.Location.NONE;
        String message = e.getMessage();
        if (e instanceof JsonProcessingException jpe) {
            at = location(jpe.getLocation());
            message = jpe.getOriginalMessage();
        }
        problems.add(file, at, "", "found a syntax error (" + firstLine(message) + "), expected a well-formed file");
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private Node document(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return new Node.ScalarNode(new Node.Location(1, 1), null);
        }
        return value(parser, token);
    }

    private Node value(JsonParser parser, JsonToken token) throws IOException {
        Node.Location at = location(parser.currentTokenLocation());
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Node.Location> keys = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Node.Location keyAt = location(parser.currentTokenLocation());
                    Node child = value(parser, parser.nextToken());
                    if (entries.containsKey(key)) {
                        problems.add(file, keyAt, key, "found the key '" + key + "' a second time, expected each key once");
                        continue;
                    }
                    entries.put(key, child);
                    keys.put(key, keyAt);
                }
                // A mapping's position is its first key's: that is where YAML users see it start.
                Node.Location start = keys.isEmpty() ? at : keys.values().iterator().next();
                return new Node.MapNode(start, entries, keys);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(value(parser, next));
                }
                return new Node.ListNode(at, items);
            }
            case VALUE_STRING -> {
                return new Node.ScalarNode(at, parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                Number number = parser.getNumberValue();
                Object value = number instanceof BigInteger big ? big : Long.valueOf(number.longValue());
                return new Node.ScalarNode(at, value);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node.ScalarNode(at, parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return new Node.ScalarNode(at, Boolean.TRUE);
            }
            case VALUE_FALSE -> {
                return new Node.ScalarNode(at, Boolean.FALSE);
            }
            case VALUE_NULL -> {
                return new Node.ScalarNode(at, null);
            }
            default -> {
                // Embedded objects and the like: keep their text so the problem can show it.
                return new Node.ScalarNode(at, parser.getText());
            }
        }
    }

    static Node.Location location(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return Node.Location.NONE;
        }
        return new Node.Location(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }
}
