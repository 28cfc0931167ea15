package dev.flusso.postgres;

import static dev.flusso.postgres.Fixture.delete;
import static dev.flusso.postgres.Fixture.insert;
import static dev.flusso.postgres.Fixture.update;
import static dev.flusso.postgres.Fixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.api.Change;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResolveTest {

    private static final String DDL = """
            CREATE TABLE countries (code text PRIMARY KEY, name text);
            CREATE TABLE users (id int PRIMARY KEY, name text, country text, secret text);
            CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int, note text);
            CREATE TABLE tags (id int PRIMARY KEY, name text);
            CREATE TABLE user_tags (user_id int, tag_id int, PRIMARY KEY (user_id, tag_id));
            INSERT INTO countries VALUES ('fr', 'France'), ('de', 'Germany');
            INSERT INTO users VALUES (1, 'a', 'fr', 's'), (2, 'b', 'fr', 's'), (3, 'c', 'de', 's');
            INSERT INTO orders VALUES (10, 1, 5, 'n'), (11, 2, 7, 'n');
            INSERT INTO tags VALUES (100, 'x'), (101, 'y');
            INSERT INTO user_tags VALUES (1, 100), (3, 100), (2, 101);
            """;

    private static final String SCHEMA = """
            version: 1
            table: users
            primary_key: id
            fields:
              - text: name
              - belongs_to: country
                table: countries
                primary_key: code
                column: country
                fields:
                  - text: name
              - has_many: orders
                table: orders
                primary_key: id
                foreign_key: user_id
                fields:
                  - integer: total
              - many_to_many: tags
                table: tags
                primary_key: id
                through:
                  table: user_tags
                  left_key: user_id
                  right_key: tag_id
                fields:
                  - keyword: name
            """;

    @Test
    void rebuildsBothParentsOfAChildMovedBetweenThem() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            fixture.database.execute("UPDATE orders SET user_id = 3 WHERE id = 10");
            Change moved = update("orders", values("id", 10), values("user_id", 1), values("user_id", 3, "total", 5));
            assertEquals(Set.of("1", "3"), fixture.resolve(moved));
        }
    }

    @Test
    void rebuildsEveryDocumentPointingAtAChangedBelongsToTarget() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            Change renamed = update("countries", values("code", "fr"), values("name", "France"), values("name", "République"));
            assertEquals(Set.of("1", "2"), fixture.resolve(renamed));
            assertEquals(Set.of("3"), fixture.resolve(delete("countries", values("code", "de"), values())));
        }
    }

    @Test
    void rebuildsTheOwnerOfADeletedChildFromItsOldForeignKey() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            fixture.database.execute("DELETE FROM orders WHERE id = 11");
            assertEquals(Set.of("2"), fixture.resolve(delete("orders", values("id", 11), values("user_id", 2))));
        }
    }

    @Test
    void followsJunctionRowsAndRelatedRowsOfAManyToMany() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals(Set.of("2"), fixture.resolve(insert("user_tags", values("user_id", 2, "tag_id", 100),
                    values("user_id", 2, "tag_id", 100))));
            assertEquals(Set.of("1", "3"), fixture.resolve(update("tags", values("id", 100), values("name", "x"),
                    values("name", "z"))));
        }
    }

    @Test
    void readsTheCurrentForeignKeyWhenTheCaptureDidNotCarryIt() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals(Set.of("1"), fixture.resolve(insert("orders", values("id", 10), values())));
        }
    }

    @Test
    void rebuildsNothingForAnUpdateOfColumnsNoIndexReads() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            Change note = update("orders", values("id", 10), values("user_id", 1, "total", 5, "note", "n"),
                    values("user_id", 1, "total", 5, "note", "changed"));
            assertEquals(Set.of(), fixture.resolve(note), "only an unread column changed");
            Change secret = update("users", values("id", 1), values("name", "a", "country", "fr", "secret", "s"),
                    values("name", "a", "country", "fr", "secret", "t"));
            assertEquals(Set.of(), fixture.resolve(secret), "only an unread root column changed");
            Change unknown = update("orders", values("id", 10), values(), values("note", "changed"));
            assertEquals(Set.of("1"), fixture.resolve(unknown), "without old values, resolve rebuilds");
        }
    }

    @Test
    void rebuildsTheOldAndNewIdOfARootKeyUpdate() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals(Set.of("1", "9"), fixture.resolve(update("users", values("id", 9), values("id", 1), values("name", "a"))));
        }
    }

    @Test
    void rebuildsEveryDocumentWhenAChildTableIsTruncated() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            Change truncate = Change.truncate(fixture.table("orders"), 1, Fixture.POSITION);
            assertEquals(Set.of("1", "2", "3"), fixture.resolve(truncate));
        }
    }
}
