package dev.flusso.postgres;

import static dev.flusso.postgres.Fixture.update;
import static dev.flusso.postgres.Fixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Computed {@code expression} fields: each reads the columns of its own level's table. */
class ComputedFieldsTest {

    private static final String DDL = """
            CREATE TABLE people (id int PRIMARY KEY, first_name text, last_name text, divisor int, note text,
              label text);
            CREATE TABLE items (id int PRIMARY KEY, person_id int, qty int, price numeric(8,2), label text);
            INSERT INTO people VALUES (1, 'Ada', 'Lovelace', 4, 'n', 'person'), (2, 'Bad', 'Row', 0, 'n', 'person'),
              (3, 'No', NULL, 1, 'n', 'person');
            INSERT INTO items VALUES (10, 1, 3, 2.50, 'item a'), (11, 1, 1, 0.10, 'item b');
            """;

    private static final String SCHEMA = """
            version: 2
            table: people
            primary_key: id
            fields:
              - text: full_name
                expression: "first_name || ' ' || last_name"
              - integer: quarter
                expression: "100 / divisor"
              - has_many: items
                table: items
                primary_key: id
                foreign_key: person_id
                fields:
                  - decimal: total
                    expression: "qty * price"
                  - keyword: label
                    expression: "upper(label)"
            """;

    @Test
    void computesExpressionsOverTheRowOfTheirOwnLevel() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals("{\"full_name\" : \"Ada Lovelace\", \"quarter\" : 25, \"items\" : [{\"total\" : 7.50, \"label\" :"
                    + " \"ITEM A\"}, {\"total\" : 0.10, \"label\" : \"ITEM B\"}]}", fixture.document("1"),
                    "document 1, whose items' 'label' is the item's column, not the person's");
            assertEquals("{\"full_name\" : null, \"quarter\" : 100, \"items\" : []}", fixture.document("3"),
                    "document 3, whose expression is null");
        }
    }

    @Test
    void failsOnlyTheDocumentWhoseExpressionCannotBeComputed() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            Map<String, String> built = fixture.build("1", "2", "3", "4");
            assertEquals("failed: index 'people', table 'public.people', document '2': ERROR: division by zero",
                    built.get("2"), "document 2, divided by zero");
            assertEquals(Map.of("1", fixture.document("1"), "3", fixture.document("3"), "4", "deleted"),
                    Map.of("1", built.get("1"), "3", built.get("3"), "4", built.get("4")),
                    "the other documents of the failing chunk");
        }
    }

    @Test
    void rebuildsOnEveryUpdateOfATableWithAComputedField() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            Map<String, Object> row = values("first_name", "Ada", "last_name", "Lovelace", "divisor", 4, "note", "n");
            Map<String, Object> changed = values("first_name", "Ada", "last_name", "Lovelace", "divisor", 4, "note", "m");
            assertEquals(Set.of("1"), fixture.resolve(update("people", values("id", 1), row, changed)),
                    "an update of 'people' whose only changed column 'note' no field names");
        }
    }
}
