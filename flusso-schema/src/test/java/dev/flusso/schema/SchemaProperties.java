package dev.flusso.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random valid schemas survive print and parse; random breakage is always reported where it was made. */
class SchemaProperties {

    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*(?:- )?)(\"?[A-Za-z_\\[\\]]+\"?):(.*)$");

    @Property(tries = 300)
    void printedSchemaParsesBackToAnEqualModel(@ForAll("schemas") IndexSchema schema) {
        String yaml = schema.toYaml();
        assertEquals(schema, IndexSchema.parse("random.schema.yml", yaml), "schema read back from:\n" + yaml);
    }

    @Property(tries = 300)
    void renamedKeyIsReportedOnItsLine(@ForAll("schemas") IndexSchema schema, @ForAll("fractions") double where) {
        List<String> lines = new ArrayList<>(schema.toYaml().lines().toList());
        int line = pickKeyLine(lines, where);
        Matcher m = KEY_LINE.matcher(lines.get(line));
        assertTrue(m.matches(), "key line");
        Assume.that(!m.group(2).equals("analyzer") && !m.group(2).equals("dynamic")); // options take any key
        lines.set(line, m.group(1) + "zz_unknown:" + m.group(3));
        assertReportedAt(String.join("\n", lines) + "\n", line + 1);
    }

    @Property(tries = 300)
    void valueOfTheWrongShapeIsReportedOnItsLine(@ForAll("schemas") IndexSchema schema, @ForAll("fractions") double where) {
        List<String> lines = new ArrayList<>(schema.toYaml().lines().toList());
        int line = pickKeyLine(lines, where);
        Matcher m = KEY_LINE.matcher(lines.get(line));
        assertTrue(m.matches(), "key line");
        // A block value continues on the next lines; a constant's value and options may be anything.
        Assume.that(!m.group(3).isBlank() && !m.group(2).equals("value") && !m.group(2).equals("analyzer") && !m.group(2).equals("dynamic"));
        lines.set(line, m.group(1) + m.group(2) + ": [[]]");
        assertReportedAt(String.join("\n", lines) + "\n", line + 1);
    }

    private static int pickKeyLine(List<String> lines, double where) {
        List<Integer> keyLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (KEY_LINE.matcher(lines.get(i)).matches()) {
                keyLines.add(i);
            }
        }
        return keyLines.get((int) (where * keyLines.size()));
    }

    private static void assertReportedAt(String yaml, int line) {
        try {
            IndexSchema.parse("mutated.schema.yml", yaml);
        } catch (SchemaException e) {
            for (Problem problem : e.problems()) {
                assertTrue(problem.line() >= 1 && problem.column() >= 1, "problem has a position: " + problem);
            }
            assertTrue(e.problems().stream().anyMatch(p -> p.line() == line),
                    "a problem names line " + line + " of\n" + yaml + "\nbut got:\n" + e.getMessage());
            return;
        }
        throw new AssertionError("mutated schema was accepted:\n" + yaml);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 0.999).ofScale(3);
    }

    @Provide
    Arbitrary<IndexSchema> schemas() {
        Arbitrary<List<String>> primaryKey = Arbitraries.of(List.of(), List.of("id"), List.of("tenant_id", "id"));
        return primaryKey.flatMap(pk -> Combinators.combine(
                identifiers(), fields(pk, 2), softDeletes(), filters().list().ofMaxSize(2))
                .as((table, fields, softDelete, filters) -> new IndexSchema(2, table, "public", pk, softDelete, filters, fields)));
    }

    private static Arbitrary<String> identifiers() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    }

    private static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('A', 'Z', '_').ofMinLength(1).ofMaxLength(8)
                .filter(s -> !Character.isUpperCase(s.charAt(0)) || true);
    }

    private static Arbitrary<SoftDelete> softDeletes() {
        return Combinators.combine(identifiers(), Arbitraries.of(true, false), filters().list().ofMaxSize(1))
                .as((column, when, filters) -> new SoftDelete(null, column, when, filters))
                .injectNull(0.5);
    }

    private static Arbitrary<Filter> filters() {
        Arbitrary<String> values = Arbitraries.of("paid", "10", "true", "yes", "a b");
        Arbitrary<Filter> single = Combinators.combine(identifiers(), Arbitraries.of(FilterOp.EQ, FilterOp.LIKE, FilterOp.GTE), values)
                .as((c, op, v) -> Filter.column(c, op, List.of(v)));
        Arbitrary<Filter> list = Combinators.combine(identifiers(), values.list().ofMaxSize(3)).as((c, v) -> Filter.column(c, FilterOp.IN, v));
        Arbitrary<Filter> between = Combinators.combine(identifiers(), values, values).as((c, a, b) -> Filter.column(c, FilterOp.BETWEEN, List.of(a, b)));
        Arbitrary<Filter> isNull = identifiers().map(c -> Filter.column(c, FilterOp.IS_NULL, List.of()));
        Arbitrary<Filter> raw = Arbitraries.of("amount > 0", "x = 'y'").map(Filter::raw);
        return Arbitraries.oneOf(single, list, between, isNull, raw);
    }

    private static Arbitrary<List<Field>> fields(List<String> activeKey, int depth) {
        return field(activeKey, depth).list().ofMaxSize(depth == 2 ? 5 : 3).map(SchemaProperties::distinctNames);
    }

    private static List<Field> distinctNames(List<Field> fields) {
        Map<String, Field> byName = new LinkedHashMap<>();
        fields.forEach(field -> byName.putIfAbsent(field.name(), field));
        return List.copyOf(byName.values());
    }

    private static Arbitrary<Field> field(List<String> activeKey, int depth) {
        List<Arbitrary<? extends Field>> kinds = new ArrayList<>(List.of(scalar(activeKey), aggregate(activeKey),
                names().map(n -> new ConstantField(n, "flusso")),
                names().map(n -> new GeoField(n, null, "lat", "lon", true, Map.of())),
                Combinators.combine(names(), Arbitraries.of(ScalarType.TEXT, ScalarType.LONG)).as((n, t) ->
                        new MapField(n, t, n.toLowerCase(java.util.Locale.ROOT), true, Map.of("dynamic", true)))));
        if (depth > 0) {
            kinds.add(Combinators.combine(names(), fields(activeKey, depth - 1)).as((n, f) -> new ObjectField(n, f, Map.of())));
            kinds.add(join(activeKey, depth));
        }
        @SuppressWarnings("unchecked")
        Arbitrary<Field>[] all = kinds.toArray(new Arbitrary[0]);
        return Arbitraries.oneOf(List.of(all));
    }

    private static Arbitrary<Field> scalar(List<String> activeKey) {
        return Combinators.combine(names(), Arbitraries.of(ScalarType.values()), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of((Object) null, "none", 0L, true), Arbitraries.of(true, false))
                .as((name, type, required, array, defaultValue, computed) -> {
                    String column = computed ? null : name.toLowerCase(java.util.Locale.ROOT);
                    boolean nullable = !required && defaultValue == null && (column == null || !activeKey.contains(column));
                    Map<String, Object> options = type == ScalarType.IDENTIFIER ? Map.of("analyzer", "flusso_code") : Map.of();
                    List<String> variants = type == ScalarType.ENUM ? List.of("low", "high") : List.of();
                    return new ScalarField(name, type, column, computed ? "a || b" : null, nullable, array,
                            List.of(Transform.TRIM), defaultValue, variants, options);
                });
    }

    private static Arbitrary<Field> aggregate(List<String> activeKey) {
        List<String> foreignKey = activeKey.size() == 2 ? List.of("p_tenant", "p_id") : List.of("parent_id");
        return Combinators.combine(names(), Arbitraries.of(AggregateOp.values()), identifiers()).as((name, op, table) -> {
            String column = op == AggregateOp.COUNT || op == AggregateOp.IDS ? null : "amount";
            ScalarType valueType = op == AggregateOp.SUM || op == AggregateOp.MIN || op == AggregateOp.MAX ? ScalarType.DECIMAL : null;
            ScalarType elementType = op == AggregateOp.IDS ? ScalarType.LONG : null;
            return new AggregateField(name, op, table, column, valueType, elementType, foreignKey, null, List.of(), Map.of());
        });
    }

    private static Arbitrary<Field> join(List<String> activeKey, int depth) {
        List<String> foreignKey = activeKey.size() == 2 ? List.of("p_tenant", "p_id") : List.of("parent_id");
        return Combinators.combine(names(), Arbitraries.of(JoinKind.values()), identifiers(), fields(List.of("id"), depth - 1),
                filters().list().ofMaxSize(1), Arbitraries.of(true, false)).as((name, kind, table, children, filters, required) -> {
            List<String> key = switch (kind) {
                case BELONGS_TO -> List.of("ref_id");
                case HAS_ONE, HAS_MANY -> foreignKey;
                case MANY_TO_MANY -> List.of();
            };
            Through through = kind == JoinKind.MANY_TO_MANY ? new Through("junction", foreignKey, List.of("far_id")) : null;
            boolean nullable = !kind.toMany() && !required;
            List<OrderBy> orderBy = kind == JoinKind.BELONGS_TO ? List.of() : List.of(new OrderBy("id", true));
            Long limit = kind.toMany() ? 5L : null;
            return new JoinField(name, kind, table, List.of("id"), key, through, nullable, filters, orderBy, limit, children, Map.of());
        });
    }
}
