package dev.flusso.source.polling.internal;

import dev.flusso.api.IndexDefinition;
import dev.flusso.api.spi.Settings;
import dev.flusso.postgres.PostgresConnections;
import dev.flusso.postgres.PostgresDocumentBuilder;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.IndexSchema;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test's own database with an {@code items} index (items, their tags, soft-deleted through {@code hidden}), the
 * [source] settings of a polling capture over it (state in a local file of its own), and the real builder.
 */
final class TestSource {

    static final String DDL = """
            CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, hidden boolean NOT NULL DEFAULT false);
            CREATE TABLE tags (id int PRIMARY KEY, item_id int NOT NULL, tag text NOT NULL);
            """;

    static final String SCHEMA = """
            version: 2
            table: items
            primary_key: id
            soft_delete:
              column: hidden
            fields:
              - text: name
              - has_many: tags
                table: tags
                primary_key: id
                foreign_key: item_id
                fields:
                  - text: tag
            """;

    final PostgresDatabase database;
    final Map<String, Object> settings = new LinkedHashMap<>();
    final Path folder;
    final List<CompiledIndex> compiled;

    TestSource(String... ddl) {
        database = PostgresServer.shared().createDatabase();
        database.execute(DDL);
        if (ddl.length > 0) {
            database.execute(ddl);
        }
        try {
            folder = Files.createTempDirectory("flusso-polling-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.put("connection_url", database.url());
        settings.put("poll_interval", "50ms");
        settings.put("state", "file");
        settings.put("state_file", folder.resolve("state.properties").toString());
        compiled = List.of(new CompiledIndex("items", "items.schema.yml", true, null, IndexSchema.parse("items.schema.yml", SCHEMA)));
    }

    TestSource with(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    TestSource without(String key) {
        settings.remove(key);
        return this;
    }

    List<IndexDefinition> indexes() {
        return compiled.stream().map(CompiledIndex::toDefinition).toList();
    }

    PollingCapture capture() {
        return new PollingCapture(PollingSettings.from(Settings.of("source", settings)), indexes());
    }

    PostgresDocumentBuilder builder() {
        return new PostgresDocumentBuilder(PostgresConnections.dataSource(database.jdbcUrl()), compiled);
    }

    void drop() {
        database.drop();
    }
}
