package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckTest {

    private static final String SCHEMA = """
            version: 1
            table: users
            primary_key: id
            fields:
              - text: name
                required: true
              - integer: age
              - text: missing
              - has_many: orders
                table: orders
                primary_key: id
                foreign_key: user_id
                fields:
                  - integer: total
              - count: pets
                table: pets
                foreign_key: user_id
            """;

    @Test
    void findsNothingWhenTheDatabaseFits() {
        String ddl = """
                CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, age int, missing text);
                CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);
                ALTER TABLE orders REPLICA IDENTITY FULL;
                CREATE TABLE pets (id int PRIMARY KEY, user_id int);
                ALTER TABLE pets REPLICA IDENTITY FULL;
                """;
        try (Fixture fixture = new Fixture(ddl, SCHEMA)) {
            assertEquals(List.of(), fixture.builder.checkSchemas());
        }
    }

    @Test
    void namesIndexTableAndColumnOfEveryMismatchAndHowToFixIt() {
        String ddl = """
                CREATE TABLE users (id int PRIMARY KEY, name text, age text);
                CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);
                """;
        try (Fixture fixture = new Fixture(ddl, SCHEMA)) {
            List<String> problems = fixture.builder.checkSchemas().stream().map(CheckProblem::toString).toList();
            assertContains(problems, "index 'users', table 'public.users', column 'name': is nullable but field 'name' is required");
            assertContains(problems, "index 'users', table 'public.users', column 'age': has type text but field 'age' is declared integer");
            assertContains(problems, "index 'users', table 'public.users', column 'missing': does not exist; fix: add the column");
            assertContains(problems, "index 'users', table 'public.orders', column 'user_id': is not in the table's replica"
                    + " identity");
            assertContains(problems, "REPLICA IDENTITY FULL");
            assertContains(problems, "index 'users', table 'public.pets': does not exist; fix: create the table");
            assertEquals(5, problems.size(), String.join("\n", problems));
        }
    }

    @Test
    void asFindingsEachProblemIsAnErrorAndAFittingIndexIsOk() {
        String ddl = "CREATE TABLE users (id int PRIMARY KEY, name text, age int, missing text)";
        String schema = "version: 1\ntable: users\nprimary_key: id\nfields:\n  - text: name\n    required: true\n";
        try (Fixture fixture = new Fixture(ddl, schema)) {
            List<Finding> findings = fixture.builder.check();
            assertEquals(List.of(Finding.error("index 'users', table 'public.users', column 'name'",
                    "is nullable but field 'name' is required", fixture.builder.checkSchemas().get(0).fix())), findings);
            fixture.database.execute("ALTER TABLE users ALTER COLUMN name SET NOT NULL");
            assertEquals(List.of(Finding.ok("index 'users'", "its tables, columns, types and keys fit the database")),
                    fixture.builder.check());
        }
    }

    @Test
    void reportsADeclaredKeyThatIsNotTheTablesKey() {
        String ddl = "CREATE TABLE users (id int, name text NOT NULL, age int, missing text)";
        String schema = "version: 1\ntable: users\nprimary_key: id\nfields:\n  - text: name\n";
        try (Fixture fixture = new Fixture(ddl, schema)) {
            List<String> problems = fixture.builder.checkSchemas().stream().map(CheckProblem::toString).toList();
            assertContains(problems, "column 'id': primary_key is not the table's primary key (it has none)");
        }
    }

    private static void assertContains(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(expected)),
                "a problem containing '" + expected + "' among:\n" + String.join("\n", problems));
    }
}
