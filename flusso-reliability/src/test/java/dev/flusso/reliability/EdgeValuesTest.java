package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Edge values round trip (scenarios 26 and 29's value shapes; large jsonb read as a {@code text} field, its text form;
 * {@code json} fields are {@link #jsonFieldHoldsAnyJsonbValue()}'s): every row OpenSearch can hold comes back equal to the
 * oracle's document; the rows whose values the mapping cannot hold are dead-lettered, each with its reason, and no
 * others.
 */
class EdgeValuesTest {

    private static final String DDL = """
            CREATE TABLE samples (id bigint PRIMARY KEY, label text, code varchar(40), amount numeric, ratio float8,
                at timestamptz, local_at timestamp, day date, tags text[], doc jsonb);
            CREATE TABLE parts (id bigint PRIMARY KEY, sample_id bigint, name text);
            ALTER TABLE parts REPLICA IDENTITY FULL;
            CREATE TABLE subparts (id bigint PRIMARY KEY, part_id bigint, name text);
            ALTER TABLE subparts REPLICA IDENTITY FULL;
            """;

    private static final String SCHEMA = """
            version: 2
            table: samples
            primary_key: id
            fields:
              - text: label
              - keyword: code
              - decimal: amount
              - double: ratio
              - timestamp: at
              - timestamp: local_at
              - date: day
              - text[]: tags
              - text: doc
              - has_many: parts
                table: parts
                primary_key: id
                foreign_key: sample_id
                order_by: [{ column: id }]
                fields:
                  - text: name
                  - has_many: subparts
                    table: subparts
                    primary_key: id
                    foreign_key: part_id
                    order_by: [{ column: id }]
                    fields:
                      - text: name
            """;

    private static final String ORACLE_SQL = """
            SELECT s.id::text AS id, json_build_object('label', s.label, 'code', s.code, 'amount', s.amount, 'ratio', s.ratio,
                'at', s.at, 'local_at', s.local_at AT TIME ZONE 'UTC', 'day', s.day, 'tags', s.tags, 'doc', s.doc::text,
                'parts', COALESCE((SELECT json_agg(json_build_object('name', p.name,
                    'subparts', COALESCE((SELECT json_agg(json_build_object('name', q.name) ORDER BY q.id)
                                          FROM subparts q WHERE q.part_id = p.id), '[]'::json)) ORDER BY p.id)
                    FROM parts p WHERE p.sample_id = s.id), '[]'::json))::text AS doc
            FROM samples s
            """;

    /** Each row: id, then the values of every column but the key, as SQL literals. */
    private static final String ROWS = """
            INSERT INTO staging VALUES
             (1, 'beyond the BMP: 𝄞 😀 𠜎 👩‍👩‍👧', '𝄞😀', 1.5, 0.1, '2024-05-01 08:00:00+02', '2024-05-01 08:00:00', '2024-05-01',
                 ARRAY['😀', '𠜎'], '{"emoji": "👩‍👩‍👧", "astral": "\\ud834\\udd1e"}'),
             (2, '', '', 0, 0, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00', '2024-01-01', ARRAY['', ''], '{}'),
             (3, repeat('long text, TOASTed ', 20000), repeat('k', 40), 12.5000, -0.0, now(), now(), now(), ARRAY[repeat('t', 10000)],
                 (SELECT jsonb_build_object('items', jsonb_agg(jsonb_build_object('n', g, 'nested', jsonb_build_array(g, jsonb_build_array(g, jsonb_build_array()))))) FROM generate_series(1, 20000) g)),
             (4, E'control: \\x01 \\x02 \\x07 \\x08 \\x0b \\x0c \\x1b \\x1f \\t \\n \\r " \\\\ /', E'\\x01\\x1f', -1, 1e-300, '1970-01-01 00:00:00+00',
                 '1970-01-01 00:00:00', '1970-01-01', ARRAY[E'\\x01', E'\\n'], '{"ctl": "\\u0001\\u001f"}'),
             (5, 'numeric with 1000 digits', 'n1000', ('3.' || repeat('1415926535', 99) || '897')::numeric, 1.7976931348623157e308,
                 '2024-01-01 00:00:00+00', '2024-01-01 00:00:00', '2024-01-01', NULL, '{"arrays": [[1, [2, [3, [4]]]], [], [[]], null]}'),
             (6, 'smallest date-times', 's', -0.000000000000000001, 5e-324, '0001-01-01 00:00:00+00', '0001-01-01 00:00:00',
                 '0001-01-01', ARRAY[NULL, 'x'], '{"a": {"b": {"c": [1.25, 2.50, -0.0, 1e300]}}}'),
             (7, 'largest date-times', 'l', 99999999999999999999.99999999999999999999, -1.5, '9999-12-31 23:59:59.999999+00',
                 '9999-12-31 23:59:59.999999', '9999-12-31', ARRAY[]::text[], '{"empty": {}}'),
             (8, 'numeric NaN', 'nan', 'NaN', 1, now(), now(), now(), NULL, NULL),
             (9, 'float Infinity', 'inf', 1, 'Infinity', now(), now(), now(), NULL, '{}'),
             (10, 'float -Infinity and numeric -Infinity', '-inf', '-Infinity', '-Infinity', now(), now(), now(), NULL, '{}'),
             (11, 'timestamp infinity', 'tinf', 1, 1, 'infinity', '-infinity', 'infinity', NULL, '{}'),
             (12, 'before the common era', 'bc', 1, 1, '0044-03-15 12:00:00+00 BC', '0044-03-15 12:00:00 BC', '0044-03-15 BC', NULL, '{}'),
             (13, 'nulls everywhere', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            """;

    /**
     * The rows the default mapping cannot hold, each with its reason: OpenSearch numeric fields take only finite
     * values, and its date fields neither the infinities PostgreSQL has nor years before the common era.
     */
    private static final Set<String> UNINDEXABLE = Set.of("8", "9", "10", "11", "12");

    @Test
    void everyIndexableValueRoundTripsAndTheOthersAreDeadLettered() {
        try (Scenario scenario = Scenario.of("edge-values/round-trip")) {
            scenario.database.execute(DDL, "CREATE TABLE staging (LIKE samples)", ROWS);
            scenario.write("samples.schema.yml", SCHEMA);
            scenario.writeConfig("dead_letter", """
                    [[index]]
                    name = "samples"
                    schema = "samples.schema.yml"
                    """, "");
            // Half the rows are backfilled, half arrive live, so both paths see every shape.
            scenario.database.execute("INSERT INTO samples SELECT * FROM staging WHERE id % 2 = 0");
            FlussoProcess flusso = scenario.run();
            flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
            scenario.database.execute("INSERT INTO samples SELECT * FROM staging WHERE id % 2 = 1");
            scenario.database.execute("INSERT INTO parts VALUES (1, 1, '😀 part'), (2, 1, ''), (3, 3, E'\\x01')",
                    "INSERT INTO subparts VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 3, '𠜎')");
            // Scenario 26: an update that leaves the TOASTed values unchanged (pgoutput sends them as 'unchanged').
            scenario.database.execute("UPDATE samples SET code = 'toast kept' WHERE id = 3");

            Oracle oracle = scenario.oracle("samples", ORACLE_SQL);
            String deadLetters = scenario.prefix + "flusso_dead_letters";
            try {
                Waits.until("every indexable row to round trip and every other to be dead-lettered", Duration.ofSeconds(60),
                        () -> oracle.compare(id -> !UNINDEXABLE.contains(id)).isEmpty()
                                && deadLettered(scenario, deadLetters).keySet().containsAll(UNINDEXABLE));
            } catch (AssertionError e) {
                throw new AssertionError(scenario.describe() + ": " + oracle.compare(id -> !UNINDEXABLE.contains(id))
                        + "\n  dead letters: " + deadLettered(scenario, deadLetters), e);
            }
            Oracle.Diff diff = oracle.compare(id -> !UNINDEXABLE.contains(id));
            assertEquals("no differences (8 documents)", diff.toString(), scenario.describe());
            Map<String, String> letters = deadLettered(scenario, deadLetters);
            System.out.println("edge values dead-lettered: " + letters);
            assertEquals(new TreeSet<>(UNINDEXABLE), new TreeSet<>(letters.keySet()),
                    scenario.describe() + ": exactly the unindexable rows are dead-lettered: " + letters);
            assertEquals(Set.of(), Set.copyOf(oracle.actual().keySet().stream().filter(UNINDEXABLE::contains).toList()),
                    scenario.describe() + ": no unindexable row is in the index");
            flusso.stop();
            scenario.pass();
        }
    }

    /**
     * A {@code json} field must hold any JSON value a jsonb column has: objects with any keys and scalars. (It once
     * inherited the root's {@code dynamic: strict} and OpenSearch refused both; it is now kept and not indexed.)
     */
    @Test
    void jsonFieldHoldsAnyJsonbValue() {
        try (Scenario scenario = Scenario.of("edge-values/json-field")) {
            scenario.database.execute("CREATE TABLE notes (id bigint PRIMARY KEY, doc jsonb)",
                    "INSERT INTO notes VALUES (1, '{\"key\": \"value\"}'), (2, '\"text\"'), (3, '[1, [2, [3]]]'),"
                            + " (4, '{\"deep\": {\"er\": [{\"x\": 1}]}}'), (5, '{}'), (6, NULL)");
            scenario.write("notes.schema.yml", "version: 1\ntable: notes\nprimary_key: id\nfields:\n  - json: doc\n");
            scenario.writeConfig("dead_letter", "[[index]]\nname = \"notes\"\nschema = \"notes.schema.yml\"\n", "");
            FlussoProcess flusso = scenario.run();
            scenario.awaitConverged(scenario.oracle("notes",
                    "SELECT id::text AS id, json_build_object('doc', doc)::text AS doc FROM notes"), Duration.ofSeconds(60));
            flusso.stop();
            scenario.pass();
        }
    }

    private static Map<String, String> deadLettered(Scenario scenario, String deadLetters) {
        Map<String, String> reasons = new TreeMap<>();
        for (JsonNode letter : Oracle.readAll(scenario.search.http(), deadLetters).values()) {
            reasons.put(letter.path("id").asText(), Documents.abbreviate(letter.path("reason").asText()));
        }
        return reasons;
    }
}
