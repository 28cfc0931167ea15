package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code required}: a null required root field fails its document alone, with a message naming what is null. */
class RequiredFieldsTest {

    private static final String DDL = """
            CREATE TABLE teams (id int PRIMARY KEY, name text);
            CREATE TABLE members (id int PRIMARY KEY, name text, nick text, team_id int, age int);
            CREATE TABLE badges (id int PRIMARY KEY, member_id int, title text);
            INSERT INTO teams VALUES (1, 'core');
            INSERT INTO members VALUES (1, 'Ada', 'ada', 1, NULL), (2, NULL, 'bob', 1, 30), (3, NULL, NULL, 9, NULL),
              (4, 'Cy', 'cy', 9, 40);
            INSERT INTO badges VALUES (100, 1, NULL);
            """;

    private static final String SCHEMA = """
            version: 1
            table: members
            primary_key: id
            fields:
              - text: display
                column: name
                required: true
              - keyword: nick
                required: true
                default: anonymous
              - integer: age
                required: false
              - belongs_to: team
                table: teams
                primary_key: id
                column: team_id
                required: true
                fields:
                  - text: name
              - has_many: badges
                table: badges
                primary_key: id
                foreign_key: member_id
                fields:
                  - text: title
                    required: true
            """;

    @Test
    void failsEachDocumentWithANullRequiredFieldNamingIndexTableDocumentAndColumn() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            String expect = "failed: index 'members', table 'public.members', document '%s': %s null; expected a value"
                    + " (give the field a default, or make it not required)";
            assertEquals(Map.of(
                    "1", "{\"display\" : \"Ada\", \"nick\" : \"ada\", \"age\" : null, \"team\" : {\"name\" : \"core\"},"
                            + " \"badges\" : [{\"title\" : null}]}",
                    "2", expect.formatted("2", "required field 'display' (column 'name') is"),
                    "3", expect.formatted("3", "required fields 'display' (column 'name'), 'team' (belongs_to row of table"
                            + " 'teams' by column 'team_id') are"),
                    "4", expect.formatted("4", "required field 'team' (belongs_to row of table 'teams' by column 'team_id') is"),
                    "5", "deleted"), fixture.build("1", "2", "3", "4", "5"), "members 1 to 5 built in one chunk");
        }
    }

    @Test
    void usesTheDefaultOfARequiredFieldInsteadOfFailing() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            fixture.database.execute("UPDATE members SET nick = NULL WHERE id = 1");
            assertEquals("{\"display\" : \"Ada\", \"nick\" : \"anonymous\", \"age\" : null, \"team\" : {\"name\" : \"core\"},"
                    + " \"badges\" : [{\"title\" : null}]}", fixture.document("1"), "member 1 without a nick");
        }
    }
}
