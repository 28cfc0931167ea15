package dev.flusso.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every validation rule of the schema format: a bad file and the exact message it gets. */
class SchemaValidationTest {

    private static String problems(String yaml) {
        SchemaException e = assertThrows(SchemaException.class, () -> IndexSchema.parse("t.schema.yml", yaml),
                "schema should be rejected:\n" + yaml);
        return e.getMessage();
    }

    private static String fields(String items) {
        return "version: 1\ntable: t\nprimary_key: id\nfields:\n" + items;
    }

    @Test
    void reportsAMissingTypeKeyWithTheKeysFound() {
        assertEquals("t.schema.yml:5:5 fields[0]: found no type key (keys: column, required), expected exactly one of: "
                + "a scalar type (text, identifier, keyword, enum, uuid, boolean, short, integer, long, float, double, decimal,"
                + " date, timestamp, binary, json), custom, geo, map, object, constant, belongs_to, has_one, has_many,"
                + " many_to_many, count, sum, avg, min, max or ids",
                problems(fields("  - column: email\n    required: true\n")));
    }

    @Test
    void reportsTwoTypeKeys() {
        assertEquals("t.schema.yml:6:5 fields[0]: found the type keys 'keyword' and 'text', expected exactly one type key",
                problems(fields("  - keyword: email\n    text: email\n")));
    }

    @Test
    void reportsAnUnknownSiblingWithASuggestion() {
        assertEquals("t.schema.yml:6:5 fields[0].keyword 'email'.requierd: found unknown key 'requierd' (did you mean 'required'?),"
                + " expected one of: column, default, expression, field, keyword, options, required, transforms",
                problems(fields("  - keyword: email\n    requierd: true\n")));
    }

    @Test
    void reportsASiblingThatTheKindDoesNotTake() {
        assertEquals("t.schema.yml:6:5 fields[0].custom 'price'.transforms: found unknown key 'transforms', expected one of:"
                + " column, custom, default, expression, field, opensearch, options, postgres, required",
                problems(fields("  - custom: price\n    transforms: [trim]\n    postgres: [numeric]\n    opensearch: scaled_float\n")));
    }

    @Test
    void reportsEveryProblemOfTheFileAtOnce() {
        String message = problems("version: 1\ntable: Bad-Table\nfields:\n  - keyword: 9lives\n  - integer: n\n    required: maybe\n");
        assertEquals(List.of(
                "t.schema.yml:2:8 table: found 'Bad-Table', expected a database identifier: a letter or _, then letters, digits or _, at most 63 characters",
                "t.schema.yml:4:14 fields[0].keyword: found '9lives', expected a document key: a letter or _, then letters, digits or _, at most 63 characters",
                "t.schema.yml:6:15 fields[1].integer 'n'.required: found 'maybe', expected true or false"),
                message.lines().toList());
    }

    @Test
    void rejectsAnUnsupportedVersion() {
        assertEquals("t.schema.yml:1:10 version: found the number 3, expected a supported version: 1, or 2 for our extensions",
                problems("version: 3\ntable: t\nfields: []\n"));
    }

    @Test
    void rejectsAMissingTableAndFields() {
        assertEquals(List.of("t.schema.yml:1:1: found no 'table', expected the root table, such as 'table: users'",
                "t.schema.yml:1:1: found no 'fields', expected the document's fields, such as '- keyword: email'"),
                problems("version: 1\n").lines().toList());
    }

    @Test
    void rejectsDocId() {
        assertEquals("t.schema.yml:3:1 doc_id: found 'doc_id', expected none: the document id always comes from primary_key",
                problems("version: 1\ntable: users\ndoc_id: slug\nfields: []\n"));
    }

    @Test
    void rejectsADuplicateEnumVariant() {
        assertEquals("t.schema.yml:6:21 fields[0].enum 'status'.variants[1]: found the variant 'low' a second time, expected each variant once",
                problems(fields("  - enum: status\n    variants: [low, low]\n")));
    }

    @Test
    void rejectsAnEnumVariantWithAnArrow() {
        assertEquals("t.schema.yml:6:16 fields[0].enum 'status'.variants[0]: found 'a => b', expected a non-blank variant"
                + " without '=>' or line breaks (it becomes a rule of the sort normaliser)",
                problems(fields("  - enum: status\n    variants: [\"a => b\"]\n")));
    }

    @Test
    void rejectsANonScalarDefault() {
        assertEquals("t.schema.yml:6:14 fields[0].json 'data'.default: found a list, expected a scalar default (string, number or boolean)",
                problems(fields("  - json: data\n    default: [1, 2]\n")));
    }

    @Test
    void rejectsABooleanMapValueType() {
        assertEquals("t.schema.yml:6:13 fields[0].map 'flags'.values: found 'boolean', expected a leaf type for a map's values:"
                + " text, keyword or a number or date type (boolean, binary and json are not allowed)",
                problems(fields("  - map: flags\n    values: boolean\n")));
    }

    @Test
    void rejectsAGeoMixingForms() {
        assertEquals("t.schema.yml:5:5 fields[0].geo 'location': found lat without lon, expected either both 'lat' and 'lon'"
                + " (two columns) or one 'column' holding the whole point",
                problems(fields("  - geo: location\n    lat: latitude\n")));
    }

    @Test
    void rejectsAJoinKeyTheVerbDoesNotTake() {
        assertEquals("t.schema.yml:8:5 fields[0].belongs_to 'owner'.foreign_key: found 'foreign_key', expected no 'foreign_key'"
                + " on a belongs_to join: it takes 'column', this table's column pointing at the related row (defaults to the field name)",
                problems(fields("  - belongs_to: owner\n    table: users\n    primary_key: id\n    foreign_key: owner_id\n    fields: []\n")));
    }

    @Test
    void rejectsAHasManyWithoutItsKey() {
        assertEquals("t.schema.yml:5:5 fields[0].has_many 'orders': found no 'foreign_key', expected the join's key:"
                + " 'foreign_key', the related table's column pointing back at this row",
                problems(fields("  - has_many: orders\n    table: orders\n    primary_key: id\n    fields: []\n")));
    }

    @Test
    void rejectsLimitOnAToOneJoinAndRequiredOnAToManyJoin() {
        assertEquals(List.of(
                "t.schema.yml:9:5 fields[0].has_one 'profile'.limit: found 'limit', expected none on a has_one join: a to-one join picks a single row",
                "t.schema.yml:15:5 fields[1].many_to_many 'tags'.required: found 'required', expected none on a many_to_many join:"
                        + " a to-many join is always a list, empty when no rows match"),
                problems(fields("  - has_one: profile\n    table: profiles\n    primary_key: id\n    foreign_key: user_id\n    limit: 1\n    fields: []\n"
                        + "  - many_to_many: tags\n    table: tags\n    primary_key: id\n    through: { table: post_tags, left_key: post_id, right_key: tag_id }\n"
                        + "    required: true\n    fields: []\n")).lines().toList());
    }

    @Test
    void rejectsOrderByOnBelongsTo() {
        assertEquals("t.schema.yml:8:5 fields[0].belongs_to 'owner'.order_by: found 'order_by', expected none on a belongs_to join:"
                + " a to-one join picks a single row",
                problems(fields("  - belongs_to: owner\n    table: users\n    primary_key: id\n    order_by: [{ column: id }]\n    fields: []\n")));
    }

    @Test
    void rejectsACompositeForeignKeyOfTheWrongArity() {
        assertEquals("t.schema.yml:9:5 fields[0].has_many 'lines'.foreign_key: found 2 key column(s) [order_id, shop_id], expected 1"
                + " to match this row's primary key [id]",
                problems("version: 2\ntable: t\nprimary_key: id\nfields:\n  - has_many: lines\n    table: lines\n    primary_key: id\n"
                        + "    fields: []\n    foreign_key: [order_id, shop_id]\n"));
    }

    @Test
    void rejectsAnAggregateWithoutItsColumnOrKey() {
        assertEquals(List.of(
                "t.schema.yml:5:5 fields[0].sum 'total': found no 'column', expected the column to sum",
                "t.schema.yml:5:5 fields[0].sum 'total': found no 'value_type', expected the result's type, which mirrors the column's",
                "t.schema.yml:5:5 fields[0].sum 'total': found neither 'foreign_key' nor 'through', expected exactly one of them"),
                problems(fields("  - sum: total\n    table: orders\n")).lines().toList());
    }

    @Test
    void rejectsElementTypeOutsideIdsAndColumnOnIds() {
        assertEquals(List.of(
                "t.schema.yml:8:5 fields[0].count 'n'.element_type: found 'element_type', expected none: only ids takes it",
                "t.schema.yml:12:5 fields[1].ids 'orderIds'.column: found 'column', expected none on ids: it collects the related table's primary key"),
                problems(fields("  - count: n\n    table: orders\n    foreign_key: user_id\n    element_type: long\n"
                        + "  - ids: orderIds\n    table: orders\n    foreign_key: user_id\n    column: id\n    element_type: long\n")).lines().toList());
    }

    @Test
    void rejectsABadAggregateResultType() {
        assertEquals("t.schema.yml:9:17 fields[0].max 'latest'.value_type: found 'geo_point', expected a scalar type name for an"
                + " aggregate's result (text, keyword, long, double, …; not geo_point, map or custom)",
                problems(fields("  - max: latest\n    table: orders\n    column: at\n    foreign_key: user_id\n    value_type: geo_point\n")));
    }

    @Test
    void rejectsFilterValueShapes() {
        assertEquals(List.of(
                "t.schema.yml:5:42 filters[0].value: found 3 values, expected exactly 2 for 'between'",
                "t.schema.yml:6:34 filters[1].value: found a value, expected none: 'is_null' takes no value",
                "t.schema.yml:7:33 filters[2].value: found 'paid', expected a list of values for 'in'",
                "t.schema.yml:8:7 filters[3]: found no 'value', expected one: 'eq' compares with a value",
                "t.schema.yml:9:7 filters[4]: found the keys [column], expected a filter: { raw: <sql> }, { column, op: is_null|is_not_null } or { column, op, value }",
                "t.schema.yml:10:22 filters[5].op: found 'equals', expected one of: eq, neq, lt, lte, gt, gte, like, ilike, in, not_in, between, is_null, is_not_null"),
                problems("version: 1\ntable: t\nfields: []\nfilters:\n"
                        + "  - { column: total, op: between, value: [1, 2, 3] }\n"
                        + "  - { column: gone, op: is_null, value: x }\n"
                        + "  - { column: s, op: in, value: paid }\n"
                        + "  - { column: s, op: eq }\n"
                        + "  - { column: s }\n"
                        + "  - { column: s, op: equals, value: 1 }\n").lines().toList());
    }

    @Test
    void rejectsASoftDeleteWithBothForms() {
        assertEquals("t.schema.yml:4:3 soft_delete: found both 'field' and 'column', expected exactly one of them",
                problems("version: 1\ntable: t\nsoft_delete:\n  column: deleted\n  field: deleted\nfields: []\n"));
    }

    @Test
    void rejectsASoftDeleteFieldThatIsNotARootColumn() {
        assertEquals("t.schema.yml:4:10 soft_delete.field: found 'total', expected the document key of a field that reads one"
                + " column of the root row (not a join, aggregate, constant or computed field)",
                problems("version: 1\ntable: t\nsoft_delete:\n  field: total\nfields:\n  - count: total\n    table: o\n    foreign_key: t_id\n"));
    }

    @Test
    void rejectsADuplicateDocumentKey() {
        assertEquals("t.schema.yml:6:5 fields[1]: found the document key 'email' a second time in this list, expected each key once",
                problems(fields("  - keyword: email\n  - text: email\n")));
    }

    @Test
    void rejectsADuplicateYamlKey() {
        assertEquals("t.schema.yml:3:1 table: found the key 'table' a second time, expected each key once",
                problems("version: 1\ntable: a\ntable: b\nfields: []\n"));
    }

    @Test
    void rejectsAnUnknownTransform() {
        assertEquals("t.schema.yml:6:24 fields[0].keyword 'email'.transforms[1]: found 'upper', expected lowercase or trim",
                problems(fields("  - keyword: email\n    transforms: [trim, upper]\n")));
    }

    @Test
    void rejectsExtensionsInAVersionOneFile() {
        assertEquals(List.of(
                "t.schema.yml:3:14 primary_key: found a list of key columns, a version 2 feature, expected `version: 2` at the top of the file to use it",
                "t.schema.yml:5:5 fields[0].text[] 'tags': found an array type 'text[]', a version 2 feature, expected `version: 2` at the top of the file to use it",
                "t.schema.yml:7:5 fields[1].keyword 'fullName'.expression: found a computed field ('expression'), a version 2 feature, expected `version: 2` at the top of the file to use it"),
                problems("version: 1\ntable: t\nprimary_key: [a, b]\nfields:\n  - text[]: tags\n  - keyword: fullName\n"
                        + "    expression: \"first || ' ' || last\"\n").lines().toList());
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirPosition() {
        String message = problems("version: 1\ntable: [unclosed\n");
        assertEquals("t.schema.yml:2:17: found a syntax error", message.substring(0, message.indexOf(" (")), "syntax error position");
    }
}
