package dev.flusso.bench;

import dev.flusso.testing.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The workloads' tables, their loads, their index schemas, and their documents built by hand for the limits. */
final class Tables {

    /** Columns of a ~200-byte row: a key, a code, a name, 128 characters of text, a price, a count, a time. */
    static String flatTable(String table) {
        return "CREATE TABLE " + table + " (id bigint PRIMARY KEY, sku text NOT NULL, name text NOT NULL,"
                + " description text NOT NULL, price numeric(10,2) NOT NULL, qty int NOT NULL, created timestamptz NOT NULL)";
    }

    static String flatRows(String table, long from, long to) {
        return "INSERT INTO " + table + " SELECT i, 'SKU-' || i, 'item ' || i,"
                + " md5(i::text) || md5((i + 1)::text) || md5((i + 2)::text) || md5((i + 3)::text),"
                + " (i % 100000) / 100.0, (i % 500)::int, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second'"
                + " FROM generate_series(" + from + ", " + to + ") i";
    }

    static String flatSchema(String table) {
        return """
                version: 1
                table: %s
                primary_key: id
                fields:
                  - keyword: sku
                  - text: name
                  - text: description
                  - decimal: price
                  - integer: qty
                  - timestamp: created
                """.formatted(table);
    }

    /** The flat documents as the limit's prebuilt input: id and JSON source. */
    static List<String[]> flatDocs(PostgresDatabase database, String table) {
        return docs(database, "SELECT id::text, json_build_object('sku', sku, 'name', name, 'description', description,"
                + " 'price', price, 'qty', qty, 'created', created)::text FROM " + table + " ORDER BY id");
    }

    /** Loads rows 1..count in transactions of {@code perTransaction}. */
    static void loadFlat(PostgresDatabase database, String table, long count, long perTransaction) {
        for (long from = 1; from <= count; from += perTransaction) {
            database.execute(flatRows(table, from, Math.min(count, from + perTransaction - 1)));
        }
    }

    static String nestedTables(int parents) {
        return """
                CREATE TABLE parent (id int PRIMARY KEY, name text);
                CREATE TABLE child (id int PRIMARY KEY, parent_id int, label text, v int);
                CREATE INDEX ON child (parent_id);
                CREATE TABLE tag (id int PRIMARY KEY, name text);
                CREATE TABLE parent_tag (parent_id int, tag_id int, PRIMARY KEY (parent_id, tag_id));
                INSERT INTO parent SELECT i, 'parent ' || i FROM generate_series(1, %1$d) i;
                INSERT INTO child SELECT i, (i - 1) / 5 + 1, 'child ' || i, i %% 100 FROM generate_series(1, %1$d * 5) i;
                INSERT INTO tag SELECT i, 'tag ' || i FROM generate_series(1, 50) i;
                INSERT INTO parent_tag SELECT i, t FROM generate_series(1, %1$d) i,
                  LATERAL (VALUES (i %% 50 + 1), ((i + 7) %% 50 + 1)) v(t);
                ANALYZE;
                """.formatted(parents);
    }

    static final String NESTED_SCHEMA = """
            version: 1
            table: parent
            primary_key: id
            fields:
              - text: name
              - has_many: children
                table: child
                primary_key: id
                foreign_key: parent_id
                order_by: [{ column: id }]
                fields:
                  - text: label
                  - integer: v
              - many_to_many: tags
                table: tag
                primary_key: id
                through:
                  table: parent_tag
                  left_key: parent_id
                  right_key: tag_id
                fields:
                  - keyword: name
              - count: child_count
                table: child
                foreign_key: parent_id
            """;

    /** The raw build: one hand-written {@code json_agg} query over the same nested rows. */
    static final String NESTED_BY_HAND = """
            SELECT p.id::text, json_build_object('name', p.name,
              'children', (SELECT coalesce(json_agg(json_build_object('label', c.label, 'v', c.v) ORDER BY c.id), '[]')
                           FROM child c WHERE c.parent_id = p.id),
              'tags', (SELECT coalesce(json_agg(json_build_object('name', t.name) ORDER BY t.id), '[]') FROM tag t
                       WHERE t.id IN (SELECT pt.tag_id FROM parent_tag pt WHERE pt.parent_id = p.id)),
              'child_count', (SELECT count(*) FROM child c WHERE c.parent_id = p.id))::text
            FROM parent p ORDER BY p.id
            """;

    /** Runs a query of (id, JSON) rows with a cursor, in UTC. */
    static List<String[]> docs(PostgresDatabase database, String query) {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TIME ZONE 'UTC'");
                statement.setFetchSize(1_000);
                List<String[]> docs = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(query)) {
                    while (rows.next()) {
                        docs.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
                return docs;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on database '" + database.name() + "': " + e.getMessage(), e);
        }
    }

    private Tables() {
    }
}
