package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.Change;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Position;
import dev.flusso.api.TableRef;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.IndexSchema;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A fresh database with tables, a builder over it, and what the builder answered. */
final class Fixture implements AutoCloseable {

    static final Position POSITION = new Position() {
    };

    final PostgresDatabase database;
    final PostgresDocumentBuilder builder;
    final List<CompiledIndex> indexes;

    Fixture(String ddl, String... schemas) {
        database = PostgresServer.shared().createDatabase();
        if (!ddl.isBlank()) {
            database.execute(ddl);
        }
        indexes = new ArrayList<>();
        for (int i = 0; i < schemas.length; i++) {
            IndexSchema schema = IndexSchema.parse("index" + i + ".schema.yml", schemas[i]);
            indexes.add(new CompiledIndex(schema.table().replace('"', '_'), "index" + i + ".schema.yml", true, null, schema));
        }
        builder = new PostgresDocumentBuilder(PostgresConnections.dataSource(database.jdbcUrl()), indexes);
    }

    Fixture(String ddl, List<CompiledIndex> compiled) {
        database = PostgresServer.shared().createDatabase();
        database.execute(ddl);
        indexes = compiled;
        builder = new PostgresDocumentBuilder(PostgresConnections.dataSource(database.jdbcUrl()), indexes);
    }

    String index() {
        return indexes.get(0).name();
    }

    /** What build answered for each id: the JSON text, "deleted", or "failed: reason". */
    Map<String, String> build(String... ids) {
        return build(index(), Arrays.asList(ids));
    }

    Map<String, String> build(String index, List<String> ids) {
        Map<String, String> answers = new TreeMap<>();
        List<DocumentId> requested = ids.stream().map(id -> new DocumentId(index, id)).toList();
        builder.build(requested, new BuildOutput() {
            @Override
            public void document(DocumentId id, String source) {
                assertEquals(null, answers.put(id.id(), source), "one answer for " + id);
            }

            @Override
            public void deleted(DocumentId id) {
                assertEquals(null, answers.put(id.id(), "deleted"), "one answer for " + id);
            }

            @Override
            public void failed(DocumentId id, String reason) {
                assertEquals(null, answers.put(id.id(), "failed: " + reason), "one answer for " + id);
            }
        });
        assertEquals(new TreeSet<>(ids), answers.keySet(), "exactly one answer per requested id");
        return answers;
    }

    String document(String id) {
        return build(id).get(id);
    }

    /** The ids resolve reports, for the first index. */
    Set<String> resolve(Change... changes) {
        Set<String> ids = new TreeSet<>();
        builder.resolve(List.of(changes), Set.of(index()), (id, version) -> ids.add(id.id()));
        return ids;
    }

    TableRef table(String name) {
        return new TableRef("public", name);
    }

    /** Asserts two JSON texts are equal as jsonb (key order and spacing aside). */
    void assertJson(String expected, String actual) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT CAST(? AS jsonb) = CAST(? AS jsonb), CAST(CAST(? AS jsonb) AS text), CAST(CAST(? AS jsonb) AS text)")) {
            statement.setString(1, expected);
            statement.setString(2, actual);
            statement.setString(3, expected);
            statement.setString(4, actual);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertTrue(rows.getBoolean(1), "expected " + rows.getString(2) + "\n but got " + rows.getString(3));
            }
        } catch (SQLException e) {
            throw new AssertionError("not JSON: expected " + expected + ", got " + actual, e);
        }
    }

    /** {@return the documents with each JSON text as jsonb writes it: equal maps mean equal documents} */
    Map<String, String> canonical(Map<String, String> documents) {
        Map<String, String> canonical = new TreeMap<>();
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT CAST(CAST(? AS jsonb) AS text)")) {
            for (Map.Entry<String, String> document : documents.entrySet()) {
                statement.setString(1, document.getValue());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    canonical.put(document.getKey(), rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError("not JSON documents: " + documents, e);
        }
        return canonical;
    }

    /** {@return the exact text of one key's value in a JSON object, as the object's text holds it} */
    String field(String json, String key) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT CAST(CAST(? AS json) -> ? AS text)")) {
            statement.setString(1, json);
            statement.setString(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("not a JSON object: " + json, e);
        }
    }

    static Map<String, Object> values(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static Change insert(String table, Map<String, Object> key, Map<String, Object> values) {
        return Change.insert(new TableRef("public", table), key, values, 1, POSITION);
    }

    static Change update(String table, Map<String, Object> key, Map<String, Object> before, Map<String, Object> after) {
        return Change.update(new TableRef("public", table), key, before, after, 1, POSITION);
    }

    static Change delete(String table, Map<String, Object> key, Map<String, Object> before) {
        return Change.delete(new TableRef("public", table), key, before, 1, POSITION);
    }

    @Override
    public void close() {
        builder.close();
        database.drop();
    }
}
