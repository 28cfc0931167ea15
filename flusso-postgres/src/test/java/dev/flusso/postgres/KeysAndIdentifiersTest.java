package dev.flusso.postgres;

import static dev.flusso.postgres.Fixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.api.Change;
import dev.flusso.api.TableRef;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.Field;
import dev.flusso.schema.Filter;
import dev.flusso.schema.FilterOp;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.JoinKind;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.ScalarType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeysAndIdentifiersTest {

    @Test
    void namesDocumentsOfACompositeKeyUnambiguouslyAndResolvesTheirChildren() {
        String ddl = """
                CREATE TABLE lines (order_id int, line_no text, qty int, PRIMARY KEY (order_id, line_no));
                CREATE TABLE notes (id int PRIMARY KEY, order_id int, line_no text, body text);
                INSERT INTO lines VALUES (1, 'a|b', 2), (1, 'c\\d', 3);
                INSERT INTO notes VALUES (7, 1, 'a|b', 'hi');
                """;
        String schema = """
                version: 2
                table: lines
                primary_key: [order_id, line_no]
                fields:
                  - integer: qty
                  - has_many: notes
                    table: notes
                    primary_key: id
                    foreign_key: [order_id, line_no]
                    fields:
                      - text: body
                """;
        try (Fixture fixture = new Fixture(ddl, schema)) {
            String first = DocumentIds.encode(List.of("1", "a|b"));
            assertEquals("1|a\\|b", first);
            assertEquals(Optional.of(List.of("1", "c\\d")), DocumentIds.decode("1|c\\\\d", 2));
            Map<String, String> built = fixture.build(first, "1|c\\\\d", "1|zz", "1");
            fixture.assertJson("{\"qty\": 2, \"notes\": [{\"body\": \"hi\"}]}", built.get(first));
            fixture.assertJson("{\"qty\": 3, \"notes\": []}", built.get("1|c\\\\d"));
            assertEquals("deleted", built.get("1|zz"));
            assertEquals(true, built.get("1").startsWith("failed: "), built.get("1"));
            Change note = Fixture.delete("notes", values("id", 7), values("order_id", 1, "line_no", "a|b"));
            assertEquals(Set.of(first), fixture.resolve(note));
        }
    }

    @Test
    void quotesMixedCaseSpacesQuotesAndReservedWordsInAnySchema() {
        String ddl = """
                CREATE SCHEMA "Odd Schema";
                CREATE TABLE "Odd Schema"."User \"\"Table\"\"\" ("Id" int PRIMARY KEY, "select" text, "Group Id" int);
                CREATE TABLE "Odd Schema"."group" ("order" int PRIMARY KEY, "Name" text);
                INSERT INTO "Odd Schema"."group" VALUES (5, 'admins');
                INSERT INTO "Odd Schema"."User \"\"Table\"\"\" VALUES (1, 'x''); DROP TABLE t; --', 5), (2, 'other', 5);
                """;
        Field select = new ScalarField("select", ScalarType.TEXT, "select", null, true, false, List.of(), null, List.of(), Map.of());
        Field name = new ScalarField("name", ScalarType.KEYWORD, "Name", null, true, false, List.of(), null, List.of(), Map.of());
        Field group = new JoinField("group", JoinKind.BELONGS_TO, "group", List.of("order"), List.of("Group Id"), null, true,
                List.of(), List.of(), null, List.of(name), Map.of());
        Filter injection = Filter.column("select", FilterOp.NEQ, List.of("'; DROP TABLE x; --"));
        IndexSchema schema = new IndexSchema(1, "User \"Table\"", "Odd Schema", List.of("Id"), null, List.of(injection),
                List.of(select, group));
        CompiledIndex index = new CompiledIndex("odd", "odd.schema.yml", true, null, schema);
        try (Fixture fixture = new Fixture(ddl, List.of(index))) {
            fixture.assertJson("{\"select\": \"x'); DROP TABLE t; --\", \"group\": {\"name\": \"admins\"}}", fixture.document("1"));
            Change renamed = Change.update(new TableRef("Odd Schema", "group"), values("order", 5), values("Name", "admins"),
                    values("Name", "root"), 1, Fixture.POSITION);
            assertEquals(Set.of("1", "2"), fixture.resolve(renamed));
            assertEquals(List.of(), fixture.builder.checkSchemas());
        }
    }
}
