package dev.flusso.schema.internal;

import dev.flusso.schema.AggregateField;
import dev.flusso.schema.ConstantField;
import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.GeoField;
import dev.flusso.schema.MapField;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.ScalarType;
import dev.flusso.schema.Transform;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code fields} lists: the type-first items ({@code - keyword: email}) of every kind but joins and
 * aggregates, which {@link RelationReader} reads.
 */
final class FieldReader {

    static final String ALL_TAGS = "a scalar type (text, identifier, keyword, enum, uuid, boolean, short, integer, long,"
            + " float, double, decimal, date, timestamp, binary, json), custom, geo, map, object, constant, belongs_to,"
            + " has_one, has_many, many_to_many, count, sum, avg, min, max or ids";
    private static final Set<String> OTHER_TAGS = Set.of("custom", "geo", "map", "object", "constant",
            "belongs_to", "has_one", "has_many", "many_to_many", "count", "sum", "avg", "min", "max", "ids");
    // The original tool overwrites a `field:` sibling with the type key's value, so files may carry one: ignore it.
    private static final String IGNORED = "field";

    private final Reading reading;
    private final FilterReader filters;
    private final RelationReader relations;

    FieldReader(Reading reading) {
        this.reading = reading;
        this.filters = new FilterReader(reading);
        this.relations = new RelationReader(reading, filters, this);
    }

    /**
     * @param activeKey the primary key of the row these fields read (the root's, or the enclosing join's); empty when
     *     undeclared
     */
    List<Field> fields(Node node, String path, List<String> activeKey) {
        List<Field> fields = new ArrayList<>();
        List<Node> items = reading.list(node, path, "a list of fields such as '- keyword: email'");
        if (items == null) {
            return fields;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Field field = field(items.get(i), path + "[" + i + "]", activeKey);
            if (field != null && !seen.add(field.name())) {
                reading.problem(items.get(i).at(), path + "[" + i + "]", "found the document key '" + field.name()
                        + "' a second time in this list, expected each key once");
            } else if (field != null) {
                fields.add(field);
            }
        }
        return fields;
    }

    static boolean isTag(String key) {
        String base = key.endsWith("[]") ? key.substring(0, key.length() - 2) : key;
        return ScalarType.fromTag(base).isPresent() || !key.endsWith("[]") && OTHER_TAGS.contains(key);
    }

    private Field field(Node node, String path, List<String> activeKey) {
        Node.MapNode item = reading.map(node, path, "a field such as '- keyword: email'");
        if (item == null) {
            return null;
        }
        List<String> tags = item.entries().keySet().stream().filter(FieldReader::isTag).toList();
        if (tags.isEmpty()) {
            String keys = item.entries().isEmpty() ? "" : " (keys: " + String.join(", ", item.entries().keySet()) + ")";
            reading.problem(item.at(), path, "found no type key" + keys + ", expected exactly one of: " + ALL_TAGS);
            return null;
        }
        if (tags.size() > 1) {
            reading.problem(item.keyAt(tags.get(1)), path, "found the type keys '" + tags.get(0) + "' and '" + tags.get(1)
                    + "', expected exactly one type key");
            return null;
        }
        String tag = tags.get(0);
        String name = reading.fieldName(item.get(tag), path + "." + tag);
        if (name == null) {
            return null;
        }
        Item it = new Item(item, tag, name, path + "." + tag + " '" + name + "'", activeKey);
        return switch (tag) {
            case "custom" -> custom(it);
            case "geo" -> geo(it);
            case "map" -> map(it);
            case "object" -> object(it);
            case "constant" -> constant(it);
            case "belongs_to", "has_one", "has_many", "many_to_many" -> relations.join(it);
            case "count", "sum", "avg", "min", "max", "ids" -> relations.aggregate(it);
            default -> scalar(it);
        };
    }

    /** One field item being read. */
    record Item(Node.MapNode map, String tag, String name, String path, List<String> activeKey) {
        Node get(String key) {
            return map.get(key);
        }

        boolean has(String key) {
            return map.has(key) && !Reading.isNull(map.get(key));
        }

        String at(String key) {
            return path + "." + key;
        }
    }

    void allowOnly(Item it, Set<String> siblings) {
        Set<String> allowed = new HashSet<>(siblings);
        allowed.add(it.tag());
        allowed.add(IGNORED);
        reading.allowOnly(it.map(), it.path(), allowed);
    }

    private Field scalar(Item it) {
        boolean array = it.tag().endsWith("[]");
        ScalarType type = ScalarType.fromTag(array ? it.tag().substring(0, it.tag().length() - 2) : it.tag()).orElseThrow();
        Set<String> allowed = new HashSet<>(Set.of("required", "column", "expression", "options", "transforms", "default"));
        if (type == ScalarType.ENUM) {
            allowed.add("variants");
        }
        allowOnly(it, allowed);
        if (array) {
            reading.requireVersion2(it.map().keyAt(it.tag()), it.path(), "an array type '" + it.tag() + "'");
        }
        List<String> variants = type == ScalarType.ENUM ? variants(it) : List.of();
        Source source = source(it);
        boolean required = required(it);
        List<Transform> transforms = transforms(it);
        Object defaultValue = defaultValue(it);
        Map<String, Object> options = options(it);
        if (type == ScalarType.IDENTIFIER) {
            // The code-splitting analyser is what makes an identifier; an explicit analyzer option wins.
            options.putIfAbsent("analyzer", "flusso_code");
        }
        boolean nullable = !required && defaultValue == null && (source.column == null || !it.activeKey().contains(source.column));
        return new ScalarField(it.name(), type, source.column, source.expression, nullable, array, transforms,
                defaultValue, variants, options);
    }

    private Field custom(Item it) {
        allowOnly(it, Set.of("postgres", "opensearch", "required", "column", "expression", "options", "default"));
        List<String> postgres = new ArrayList<>();
        Node postgresNode = reading.require(it.map(), "postgres", it.path(), "the Postgres types it accepts, such as [numeric]");
        List<Node> items = postgresNode == null ? null : reading.list(postgresNode, it.at("postgres"), "a list of Postgres type names");
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                String text = reading.string(items.get(i), it.at("postgres") + "[" + i + "]", "a Postgres type name");
                if (text != null) {
                    postgres.add(text);
                }
            }
        }
        Node osNode = reading.require(it.map(), "opensearch", it.path(), "the OpenSearch type, such as scaled_float");
        String openSearch = osNode == null ? null : reading.string(osNode, it.at("opensearch"), "an OpenSearch type name");
        Source source = source(it);
        boolean required = required(it);
        Object defaultValue = defaultValue(it);
        Map<String, Object> options = options(it);
        boolean nullable = !required && defaultValue == null && (source.column == null || !it.activeKey().contains(source.column));
        return openSearch == null ? null
                : new CustomField(it.name(), postgres, openSearch, source.column, source.expression, nullable, defaultValue, options);
    }

    private Field geo(Item it) {
        allowOnly(it, Set.of("required", "lat", "lon", "column", "options"));
        boolean required = required(it);
        Map<String, Object> options = options(it);
        boolean lat = it.has("lat");
        boolean lon = it.has("lon");
        if (lat && lon && !it.has("column")) {
            String latColumn = reading.identifier(it.get("lat"), it.at("lat"));
            String lonColumn = reading.identifier(it.get("lon"), it.at("lon"));
            return latColumn == null || lonColumn == null ? null
                    : new GeoField(it.name(), null, latColumn, lonColumn, !required, options);
        }
        if (lat || lon) {
            reading.problem(it.map().at(), it.path(), "found " + (lat && lon ? "lat, lon and column" : lat ? "lat without lon" : "lon without lat")
                    + ", expected either both 'lat' and 'lon' (two columns) or one 'column' holding the whole point");
            return null;
        }
        String column = column(it);
        return column == null ? null : new GeoField(it.name(), column, null, null, !required && !it.activeKey().contains(column), options);
    }

    private Field map(Item it) {
        allowOnly(it, Set.of("values", "required", "column", "options"));
        Node valuesNode = reading.require(it.map(), "values", it.path(), "the type of every value, such as text or long");
        ScalarType values = valuesNode == null ? null : typeToken(valuesNode, it.at("values"), "a map's values");
        if (values != null && !values.isMapValue()) {
            reading.problem(valuesNode.at(), it.at("values"), "found '" + values.tag() + "', expected a leaf type for a map's values:"
                    + " text, keyword or a number or date type (boolean, binary and json are not allowed)");
            values = null;
        }
        boolean required = required(it);
        String column = column(it);
        Map<String, Object> options = options(it);
        // A map's keys are not known in advance: its object must accept new keys under a strict root.
        options.putIfAbsent("dynamic", Boolean.TRUE);
        return values == null || column == null ? null
                : new MapField(it.name(), values, column, !required && !it.activeKey().contains(column), options);
    }

    private Field object(Item it) {
        allowOnly(it, Set.of("fields", "options"));
        Node fieldsNode = reading.require(it.map(), "fields", it.path(), "the grouped fields");
        List<Field> children = fieldsNode == null ? List.of() : fields(fieldsNode, it.at("fields"), it.activeKey());
        return new ObjectField(it.name(), children, options(it));
    }

    private Field constant(Item it) {
        allowOnly(it, Set.of("value"));
        // Lenient like the documentation: a constant without `value` is null (the original tool demands the key).
        return new ConstantField(it.name(), it.map().has("value") ? Reading.plain(it.get("value")) : null);
    }

    /**
     * A type token: one of the scalar type names. The original tool also parses geo_point and nested map or custom
     * forms here, only to reject them where they matter or to emit nonsense where they do not; we reject them all.
     */
    ScalarType typeToken(Node node, String path, String what) {
        String text = reading.string(node, path, "a scalar type name for " + what);
        if (text == null) {
            return null;
        }
        Optional<ScalarType> type = ScalarType.fromTag(text);
        if (type.isEmpty()) {
            reading.problem(node.at(), path, "found '" + text + "', expected a scalar type name for " + what
                    + " (text, keyword, long, double, …; not geo_point, map or custom)");
            return null;
        }
        return type.get();
    }

    private record Source(String column, String expression) {
    }

    private Source source(Item it) {
        if (it.has("expression")) {
            reading.requireVersion2(it.map().keyAt("expression"), it.at("expression"), "a computed field ('expression')");
            if (it.has("column")) {
                reading.problem(it.map().keyAt("column"), it.at("column"), "found both 'column' and 'expression', expected one of them");
            }
            String expression = reading.string(it.get("expression"), it.at("expression"), "an SQL expression over the row");
            if (expression != null && expression.isBlank()) {
                reading.problem(it.get("expression").at(), it.at("expression"), "found an empty expression, expected an SQL expression over the row");
                expression = null;
            }
            return new Source(null, expression == null ? "null" : expression.trim());
        }
        String column = column(it);
        return new Source(column == null ? it.name().toLowerCase(Locale.ROOT) : column, null);
    }

    /** The column, defaulting to the document key lowercased, as the original tool does. */
    String column(Item it) {
        if (!it.has("column")) {
            return it.name().toLowerCase(Locale.ROOT);
        }
        return reading.identifier(it.get("column"), it.at("column"));
    }

    /** Lenient like the documentation: {@code required} may be left out and then means nullable. */
    boolean required(Item it) {
        if (!it.map().has("required")) {
            return false;
        }
        Boolean required = reading.bool(it.get("required"), it.at("required"));
        return required != null && required;
    }

    private List<Transform> transforms(Item it) {
        List<Transform> transforms = new ArrayList<>();
        List<Node> items = it.has("transforms") ? reading.list(it.get("transforms"), it.at("transforms"), "a list of lowercase or trim") : List.of();
        if (items == null) {
            return transforms;
        }
        for (int i = 0; i < items.size(); i++) {
            String where = it.at("transforms") + "[" + i + "]";
            String text = reading.string(items.get(i), where, "lowercase or trim");
            if ("lowercase".equals(text)) {
                transforms.add(Transform.LOWERCASE);
            } else if ("trim".equals(text)) {
                transforms.add(Transform.TRIM);
            } else if (text != null) {
                reading.problem(items.get(i).at(), where, "found '" + text + "', expected lowercase or trim");
            }
        }
        return transforms;
    }

    private Object defaultValue(Item it) {
        if (!it.has("default")) {
            return null;
        }
        Node node = it.get("default");
        if (!(node instanceof Node.ScalarNode scalar)) {
            reading.problem(node.at(), it.at("default"), "found " + Node.describe(node) + ", expected a scalar default (string, number or boolean)");
            return null;
        }
        return scalar.value();
    }

    Map<String, Object> options(Item it) {
        if (!it.has("options")) {
            return new LinkedHashMap<>();
        }
        Node.MapNode map = reading.map(it.get("options"), it.at("options"), "a mapping of OpenSearch property options");
        @SuppressWarnings("unchecked")
        Map<String, Object> options = map == null ? new LinkedHashMap<>() : (Map<String, Object>) Reading.plain(map);
        return options;
    }

    private List<String> variants(Item it) {
        List<String> variants = new ArrayList<>();
        List<Node> items = it.has("variants") ? reading.list(it.get("variants"), it.at("variants"), "a list of the enum's values in sort order") : List.of();
        if (items == null) {
            return variants;
        }
        for (int i = 0; i < items.size(); i++) {
            String where = it.at("variants") + "[" + i + "]";
            String variant = reading.string(items.get(i), where, "a variant name");
            if (variant == null) {
                continue;
            }
            if (variant.isBlank() || variant.contains("=>") || variant.contains("\n")) {
                reading.problem(items.get(i).at(), where, "found '" + variant + "', expected a non-blank variant without '=>' or line breaks"
                        + " (it becomes a rule of the sort normaliser)");
            } else if (variants.contains(variant)) {
                reading.problem(items.get(i).at(), where, "found the variant '" + variant + "' a second time, expected each variant once");
            } else {
                variants.add(variant);
            }
        }
        return variants;
    }
}
