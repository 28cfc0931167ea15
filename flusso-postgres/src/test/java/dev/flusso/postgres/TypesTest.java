package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each column type to its JSON, compared as the exact text PostgreSQL writes for the field: the README's type table.
 * Row 1 holds ordinary values, row 2 the extremes, row 3 the special values, row 4 only NULLs.
 */
class TypesTest {

    private static final String DDL = """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE DOMAIN posint AS int CHECK (VALUE > 0);
            CREATE TABLE types (id int PRIMARY KEY, i2 int2, i4 int4, i8 int8, big numeric, scaled numeric(12,4), r real,
              d double precision, b boolean, t text, u uuid, day date, ts timestamp, tstz timestamptz, bin bytea,
              doc jsonb, js json, texts text[], ints int[], mood mood, moods mood[], n posint, stamps timestamptz[],
              blobs bytea[], nums numeric[], uuids uuid[], ns posint[]);
            INSERT INTO types VALUES
              (1, 1, 2, 3, 12.5000, 12.5, 1.1, 0.1, true, 'plain', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-05-01',
               '2024-05-01 10:00:00.5', '2024-05-01 10:00:00+02', '\\xdeadbeef',
               '{"zz": {"y": [1, {"x": null}]}, "a": 1.50, "zz2": true, "a": 2.50}', '{"b":1,  "a":[true]}',
               '{a,"b c"}', '{3,1,2}', 'happy', '{ok,sad}', 7, '{"2024-05-01 10:00:00+02"}', '{"\\\\x00ff"}', '{1.10,2}',
               '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{1,2}'),
              (2, 32767, -2147483648, 9223372036854775807, CAST(repeat('9', 1000) AS numeric), -0.0001, 3.4028235e38,
               -1.7976931348623157e308, false,
               'emoji ' || chr(128512) || ' ctrl ' || chr(1) || ' tab' || chr(9) || ' nl' || chr(10) || ' quote" back\\',
               NULL, '0001-01-01', '0001-01-01 00:00:00', '9999-12-31 23:59:59.999999+00', decode(repeat('ab', 100), 'hex'),
               (SELECT jsonb_build_object('items', jsonb_agg(jsonb_build_object('n', i, 'deep', jsonb_build_array(i, 'x'))
                  ORDER BY i)) FROM generate_series(1, 2000) i),
               '[]', '{NULL,x}', '{}', 'sad', '{}', 2147483647, '{}', '{}', '{}', '{}', '{}'),
              (3, -32768, 0, -9223372036854775808, 'NaN', 0, 'NaN', 'Infinity', NULL, '', NULL, 'infinity', '-infinity',
               'infinity', '\\x', '{}', 'null', '{NULL}', '{1,NULL,-3}', NULL, '{happy,NULL}', 1, '{NULL,infinity}',
               '{NULL,"\\\\x"}', '{NaN,-0.5}', '{NULL}', '{NULL}'),
              (4, NULL, NULL, NULL, NULL, NULL, '-Infinity', '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """;

    private static final String SCHEMA = """
            version: 2
            table: types
            primary_key: id
            fields:
              - short: i2
              - integer: i4
              - long: i8
              - decimal: big
              - decimal: scaled
              - float: r
              - double: d
              - boolean: b
              - text: t
              - uuid: u
              - date: day
              - timestamp: ts
              - timestamp: tstz
              - binary: bin
              - json: doc
              - json: js
              - text[]: texts
              - integer[]: ints
              - enum: mood
              - enum[]: moods
              - integer: n
              - timestamp[]: stamps
              - binary[]: blobs
              - decimal[]: nums
              - uuid[]: uuids
              - integer[]: ns
            """;

    private static Fixture fixture;
    private static Map<String, String> documents;

    @BeforeAll
    static void build() {
        fixture = new Fixture(DDL, SCHEMA);
        documents = fixture.build("1", "2", "3", "4");
    }

    @AfterAll
    static void drop() {
        fixture.close();
    }

    @Test
    void writesIntegersAsNumbersUpToTheirLimits() {
        assertFields("1", Map.of("i2", "1", "i4", "2", "i8", "3"));
        assertFields("2", Map.of("i2", "32767", "i4", "-2147483648", "i8", "9223372036854775807"));
        assertFields("3", Map.of("i2", "-32768", "i4", "0", "i8", "-9223372036854775808"));
        assertFields("4", Map.of("i2", "null", "i4", "null", "i8", "null"));
    }

    @Test
    void writesNumericWithEveryDigitAndItsScaleAndNaNAsAString() {
        assertFields("1", Map.of("big", "12.5000", "scaled", "12.5000"));
        assertFields("2", Map.of("big", "9".repeat(1000), "scaled", "-0.0001"));
        assertFields("3", Map.of("big", "\"NaN\"", "scaled", "0.0000"));
        assertFields("4", Map.of("big", "null", "scaled", "null"));
    }

    @Test
    void writesFloatsShortestExactAndNonFiniteValuesAsStrings() {
        assertFields("1", Map.of("r", "1.1", "d", "0.1"));
        assertFields("2", Map.of("r", "3.4028235e+38", "d", "-1.7976931348623157e+308"));
        assertFields("3", Map.of("r", "\"NaN\"", "d", "\"Infinity\""));
        assertFields("4", Map.of("r", "\"-Infinity\"", "d", "\"-Infinity\""));
    }

    @Test
    void writesBooleansAndUuids() {
        assertFields("1", Map.of("b", "true", "u", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\""));
        assertFields("2", Map.of("b", "false", "u", "null"));
        assertFields("4", Map.of("b", "null", "u", "null"));
    }

    @Test
    void escapesControlCharactersAndKeepsCharactersBeyondTheBasicPlane() {
        assertFields("1", Map.of("t", "\"plain\""));
        assertFields("2", Map.of("t", "\"emoji \uD83D\uDE00 ctrl \\u0001 tab\\t nl\\n quote\\\" back\\\\\""));
        assertFields("3", Map.of("t", "\"\""));
    }

    @Test
    void writesDatesAndTimestampsInUtcFromYearOneTo9999() {
        assertFields("1", Map.of("day", "\"2024-05-01\"", "ts", "\"2024-05-01T10:00:00.5+00:00\"",
                "tstz", "\"2024-05-01T08:00:00+00:00\""));
        assertFields("2", Map.of("day", "\"0001-01-01\"", "ts", "\"0001-01-01T00:00:00+00:00\"",
                "tstz", "\"9999-12-31T23:59:59.999999+00:00\""));
        assertFields("4", Map.of("day", "null", "ts", "null", "tstz", "null"));
    }

    @Test
    void writesInfiniteDatesAndTimestampsAsPostgresSpellsThem() {
        assertFields("3", Map.of("day", "\"infinity\"", "ts", "\"-infinity\"", "tstz", "\"infinity\""));
    }

    @Test
    void writesByteaAsBase64WithoutLineBreaks() {
        assertFields("1", Map.of("bin", "\"3q2+7w==\""));
        assertFields("2", Map.of("bin", "\"" + "q6ur".repeat(33) + "qw==\""));
        assertFields("3", Map.of("bin", "\"\""));
    }

    @Test
    void passesJsonThroughAndJsonbAsPostgresNormalisesIt() {
        assertFields("1", Map.of("doc", "{\"a\": 2.50, \"zz\": {\"y\": [1, {\"x\": null}]}, \"zz2\": true}",
                "js", "{\"b\":1,  \"a\":[true]}"));
        String items = IntStream.rangeClosed(1, 2000).mapToObj(i -> "{\"n\": " + i + ", \"deep\": [" + i + ", \"x\"]}")
                .collect(Collectors.joining(", ", "{\"items\": [", "]}"));
        assertFields("2", Map.of("doc", items, "js", "[]"));
        assertFields("3", Map.of("doc", "{}", "js", "null"));
    }

    @Test
    void writesArraysInOrderWithNullElementsEmptyArraysAndNullArrays() {
        assertFields("1", Map.of("texts", "[\"a\",\"b c\"]", "ints", "[3,1,2]", "moods", "[\"ok\",\"sad\"]",
                "stamps", "[\"2024-05-01T08:00:00+00:00\"]", "blobs", "[\"AP8=\"]", "nums", "[1.10,2]",
                "uuids", "[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"]"));
        assertFields("2", Map.of("texts", "[null,\"x\"]", "ints", "[]", "moods", "[]", "stamps", "[]", "blobs", "[]",
                "nums", "[]", "uuids", "[]"));
        assertFields("3", Map.of("texts", "[null]", "ints", "[1,null,-3]", "moods", "[\"happy\",null]",
                "stamps", "[null,\"infinity\"]", "blobs", "[null,\"\"]", "nums", "[\"NaN\",-0.5]", "uuids", "[null]"));
        assertFields("4", Map.of("texts", "null", "ints", "null", "moods", "null", "stamps", "null", "blobs", "null",
                "nums", "null", "uuids", "null"));
    }

    @Test
    void writesEnumsAsTheirLabelAndDomainsAsTheirBaseType() {
        assertFields("1", Map.of("mood", "\"happy\"", "n", "7", "ns", "[1,2]"));
        assertFields("2", Map.of("mood", "\"sad\"", "n", "2147483647", "ns", "[]"));
        assertFields("3", Map.of("mood", "null", "n", "1", "ns", "[null]"));
        assertFields("4", Map.of("mood", "null", "n", "null", "ns", "null"));
    }

    @Test
    void findsEveryColumnTypeFitsItsDeclaredType() {
        assertEquals(List.of(), fixture.builder.checkSchemas(), "check of the types table against its schema");
    }

    /** Asserts the exact JSON text of each field of a document, as PostgreSQL wrote it. */
    private static void assertFields(String id, Map<String, String> expected) {
        expected.forEach((key, value) -> assertEquals(value, fixture.field(documents.get(id), key),
                "field '" + key + "' of document " + id));
    }
}
