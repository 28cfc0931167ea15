package dev.flusso.postgres;

import static dev.flusso.postgres.Fixture.update;
import static dev.flusso.postgres.Fixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Soft delete: boolean and other markers, negated with {@code deleted_when: false}, and {@code when} filters. */
class SoftDeleteTest {

    private static final String DDL = """
            CREATE TABLE accounts (id int PRIMARY KEY, name text, active boolean, activated_at timestamptz, kind text);
            INSERT INTO accounts VALUES (1, 'on', true, now(), 'user'), (2, 'off', false, NULL, 'user'),
              (3, 'unknown', NULL, now(), 'temp'), (4, 'temp off', false, NULL, 'temp');
            """;

    private static String schema(String softDelete) {
        return "version: 2\ntable: accounts\nprimary_key: id\nsoft_delete:\n" + softDelete + "fields:\n  - text: name\n";
    }

    @Test
    void deletesARowWhoseBooleanMarkerIsFalseWhenNegatedAndKeepsANullMarker() {
        try (Fixture fixture = new Fixture(DDL, schema("  column: active\n  deleted_when: false\n"))) {
            assertEquals(Map.of("1", "{\"name\" : \"on\"}", "2", "deleted", "3", "{\"name\" : \"unknown\"}", "4", "deleted"),
                    fixture.build("1", "2", "3", "4"), "accounts deleted when 'active' IS FALSE");
        }
    }

    @Test
    void deletesARowWhoseBooleanMarkerIsTrueByDefault() {
        try (Fixture fixture = new Fixture(DDL, schema("  column: active\n"))) {
            assertEquals(Map.of("1", "deleted", "2", "{\"name\" : \"off\"}", "3", "{\"name\" : \"unknown\"}",
                    "4", "{\"name\" : \"temp off\"}"), fixture.build("1", "2", "3", "4"), "accounts deleted when 'active' IS TRUE");
        }
    }

    @Test
    void deletesARowWhoseOtherMarkerIsNullWhenNegated() {
        try (Fixture fixture = new Fixture(DDL, schema("  column: activated_at\n  deleted_when: false\n"))) {
            assertEquals(Map.of("1", "{\"name\" : \"on\"}", "2", "deleted", "3", "{\"name\" : \"unknown\"}", "4", "deleted"),
                    fixture.build("1", "2", "3", "4"), "accounts deleted when 'activated_at' IS NULL");
        }
    }

    @Test
    void deletesANegatedMarkerOnlyWhereTheWhenFiltersAlsoHold() {
        String softDelete = "  column: active\n  deleted_when: false\n  when:\n    - column: kind\n      op: eq\n      value: temp\n";
        try (Fixture fixture = new Fixture(DDL, schema(softDelete))) {
            assertEquals(Map.of("1", "{\"name\" : \"on\"}", "2", "{\"name\" : \"off\"}", "3", "{\"name\" : \"unknown\"}",
                    "4", "deleted"), fixture.build("1", "2", "3", "4"), "accounts deleted when 'active' IS FALSE and kind = 'temp'");
        }
    }

    @Test
    void rebuildsADocumentWhoseMarkerAloneChanged() {
        try (Fixture fixture = new Fixture(DDL, schema("  column: active\n  deleted_when: false\n"))) {
            assertEquals(Set.of("1"), fixture.resolve(update("accounts", values("id", 1),
                    values("name", "on", "active", true), values("name", "on", "active", false))), "marker 'active' changed");
            assertEquals(Set.of(), fixture.resolve(update("accounts", values("id", 1),
                    values("name", "on", "active", true, "kind", "user"), values("name", "on", "active", true, "kind", "x"))),
                    "only the unread column 'kind' changed");
        }
    }
}
