package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldsTest {

    private static final String DDL = """
            CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL, country text);
            CREATE TABLE posts (
              id bigint PRIMARY KEY, author_id int REFERENCES authors, title text NOT NULL, body text, score numeric(12,4),
              tags text[], meta jsonb, attrs jsonb, lat double precision, lon double precision, spot point,
              published_at timestamptz, created timestamp, day date, draft boolean, views int, deleted_at timestamptz);
            CREATE TABLE comments (id int PRIMARY KEY, post_id bigint REFERENCES posts, body text, stars int, visible boolean);
            CREATE TABLE labels (id int PRIMARY KEY, name text);
            CREATE TABLE post_labels (post_id bigint, label_id int, PRIMARY KEY (post_id, label_id));
            INSERT INTO authors VALUES (1, 'Ada', 'UK'), (2, 'Linus', NULL);
            INSERT INTO posts VALUES
              (10, 1, '  Hello World ', 'b', 12.5000, '{A,b}', '{"x": 1}', '{"k": "v"}', 51.5, -0.12, '(-0.12,51.5)',
               '2024-05-01 10:00:00+02', '2024-05-01 10:00:00', '2024-05-01', false, 7, NULL),
              (11, 2, 'Second', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL),
              (12, 1, 'Gone', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL, now());
            INSERT INTO comments VALUES (100, 10, 'first', 5, true), (101, 10, 'second', 3, true), (102, 10, 'hidden', 1, false),
              (103, 10, 'third', 4, true);
            INSERT INTO labels VALUES (1, 'java'), (2, 'sql'), (3, 'unused');
            INSERT INTO post_labels VALUES (10, 2), (10, 1);
            """;

    private static final String SCHEMA = """
            version: 1
            table: posts
            primary_key: id
            soft_delete:
              column: deleted_at
            filters:
              - column: draft
                op: is_not_null
            fields:
              - long: id
              - text: title
                transforms: [trim, lowercase]
              - text: body
                default: "(none)"
              - decimal: score
              - integer: views
                default: 0
              - json: meta
              - map: attrs
                values: keyword
              - geo: location
                lat: lat
                lon: lon
              - geo: spot
                column: spot
              - timestamp: published_at
              - timestamp: created
              - date: day
              - boolean: draft
              - constant: source
                value: {kind: blog, version: 2}
              - object: stats
                fields:
                  - integer: views
              - belongs_to: author
                table: authors
                primary_key: id
                column: author_id
                fields:
                  - text: name
                  - keyword: country
              - has_many: comments
                table: comments
                primary_key: id
                foreign_key: post_id
                order_by:
                  - column: stars
                    direction: desc
                limit: 2
                filters:
                  - column: visible
                    op: eq
                    value: "true"
                fields:
                  - text: body
                  - integer: stars
              - many_to_many: labels
                table: labels
                primary_key: id
                through:
                  table: post_labels
                  left_key: post_id
                  right_key: label_id
                fields:
                  - keyword: name
              - count: comment_count
                table: comments
                foreign_key: post_id
              - max: best
                table: comments
                column: stars
                foreign_key: post_id
                value_type: integer
              - avg: average
                table: comments
                column: stars
                foreign_key: post_id
                filters:
                  - column: visible
                    op: eq
                    value: "true"
              - ids: label_ids
                table: labels
                through:
                  table: post_labels
                  left_key: post_id
                  right_key: label_id
                element_type: integer
            """;

    @Test
    void buildsEveryFieldKindJoinAndAggregateInOneQuery() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            fixture.assertJson("""
                    {"id": 10, "title": "hello world", "body": "b", "score": 12.5000, "views": 7, "meta": {"x": 1},
                     "attrs": {"k": "v"}, "location": {"lat": 51.5, "lon": -0.12}, "spot": {"lat": 51.5, "lon": -0.12},
                     "published_at": "2024-05-01T08:00:00+00:00", "created": "2024-05-01T10:00:00+00:00",
                     "day": "2024-05-01", "draft": false, "source": {"kind": "blog", "version": 2},
                     "stats": {"views": 7}, "author": {"name": "Ada", "country": "UK"},
                     "comments": [{"body": "first", "stars": 5}, {"body": "third", "stars": 4}],
                     "labels": [{"name": "java"}, {"name": "sql"}], "comment_count": 4, "best": 5, "average": 4.0,
                     "label_ids": [1, 2]}
                    """, fixture.document("10"));
        }
    }

    @Test
    void keepsNumericPrecisionAsWritten() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertTrue(fixture.document("10").contains("12.5000"), fixture.document("10"));
        }
    }

    @Test
    void usesDefaultsForNullsAndEmptyListsForNoRows() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            fixture.assertJson("""
                    {"id": 11, "title": "second", "body": "(none)", "score": null, "views": 0, "meta": null,
                     "attrs": null, "location": null, "spot": null, "published_at": null, "created": null, "day": null,
                     "draft": false, "source": {"kind": "blog", "version": 2}, "stats": {"views": null},
                     "author": {"name": "Linus", "country": null}, "comments": [], "labels": [], "comment_count": 0,
                     "best": null, "average": null, "label_ids": []}
                    """, fixture.document("11"));
        }
    }

    @Test
    void deletesSoftDeletedMissingAndFilteredOutRows() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals(Map.of("12", "deleted", "999", "deleted"), fixture.build("12", "999"));
            fixture.database.execute("UPDATE posts SET draft = NULL WHERE id = 10");
            assertEquals("deleted", fixture.document("10"), "a row outside the root filters is deleted");
        }
    }
}
