package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.LockFile;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code postgres} builder made from its settings section, as the engine's launcher makes it. */
class PostgresBuilderProviderTest {

    private static final String TOML = """
            [source]
            type = "postgres"
            connection_url = "postgres://localhost/unused"

            [sinks.primary]
            type = "stdout"

            [[index]]
            name = "users"
            schema = "users.schema.yml"

            [[index]]
            name = "old_users"
            schema = "users.schema.yml"
            enabled = false
            """;

    private static PostgresDatabase database;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTable() {
        database = PostgresServer.shared().createDatabase();
        database.execute("CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'Ada')");
    }

    @AfterAll
    static void dropTable() {
        database.drop();
    }

    private Path deployment() throws IOException {
        Files.writeString(dir.resolve("users.schema.yml"), "version: 1\ntable: users\nprimary_key: id\nfields:\n  - text: name\n");
        return Files.writeString(dir.resolve("flusso.toml"), TOML);
    }

    private static DocumentBuilder create(Map<String, ?> settings) {
        return new PostgresBuilderProvider().create(ProviderContext.of(Settings.of("builder", settings)));
    }

    @Test
    void buildsTheEnabledIndexesOfALockFileFromAPostgresUrl() throws IOException {
        Path lock = dir.resolve("flusso.lock");
        LockFile.write(Deployment.load(deployment(), Map.<String, String>of()::get), lock);
        try (DocumentBuilder builder = create(Map.of("connection_url", database.url(), "lock_file", lock.toString()))) {
            assertEquals(List.of("users"), builder.indexes().stream().map(IndexDefinition::name).toList(),
                    "indexes of the builder made from " + lock);
            assertEquals(List.of("1 {\"name\" : \"Ada\"}"), built(builder, "users", "1"), "user 1 built through " + database.url());
        }
    }

    @Test
    void buildsTheEnabledIndexesOfADeploymentFromAJdbcUrl() throws IOException {
        Path toml = deployment();
        try (DocumentBuilder builder = create(Map.of("connection_url", database.jdbcUrl(), "deployment", toml.toString()))) {
            assertEquals(List.of("users"), builder.indexes().stream().map(IndexDefinition::name).toList(),
                    "indexes of the builder made from " + toml);
            assertEquals(List.of("1 {\"name\" : \"Ada\"}"), built(builder, "users", "1"), "user 1 built through " + database.jdbcUrl());
        }
    }

    @Test
    void requiresExactlyOneOfLockFileAndDeployment() throws IOException {
        String expected = "[builder]: expected exactly one of 'lock_file' and 'deployment', the file that names the indexes"
                + " to build";
        assertEquals(expected, assertThrows(ConfigurationException.class,
                () -> create(Map.of("connection_url", database.url()))).getMessage(), "settings with neither file");
        Path toml = deployment();
        assertEquals(expected, assertThrows(ConfigurationException.class, () -> create(Map.of("connection_url", database.url(),
                "lock_file", toml.toString(), "deployment", toml.toString()))).getMessage(), "settings with both files");
    }

    @Test
    void requiresAConnectionUrlAndRefusesUnknownKeys() throws IOException {
        String toml = deployment().toString();
        assertEquals("[builder] key 'connection_url' is required: a postgres:// URL, an env reference { env = \"VAR\" } or a"
                + " parts table; or set DATABASE_URL", assertThrows(ConfigurationException.class,
                () -> create(Map.of("deployment", toml))).getMessage(), "settings without connection_url");
        assertEquals("[builder] key 'url' is not a known key; expected one of [connection_url, deployment, lock_file,"
                + " sslcert, sslkey, sslmode, sslpassword, sslrootcert]",
                assertThrows(ConfigurationException.class, () -> create(Map.of("url", database.url(), "deployment", toml)))
                        .getMessage(), "settings with a misspelt key");
        assertEquals("[builder] key 'connection_url' is not a PostgreSQL URL ('mysql://***@h/db'): expected"
                + " postgres://user:password@host:port/database, or jdbc:postgresql://host:port/database", assertThrows(ConfigurationException.class,
                () -> create(Map.of("connection_url", "mysql://u:secret@h/db", "deployment", toml))).getMessage(),
                "settings with a URL of another database, password hidden");
    }

    @Test
    void namesTheLockFileThatCannotBeRead() {
        Path missing = dir.resolve("missing.lock");
        ConfigurationException failure = assertThrows(ConfigurationException.class,
                () -> create(Map.of("connection_url", database.url(), "lock_file", missing.toString())), "a missing lock file");
        assertEquals(true, failure.getMessage().contains(missing.toString()), "message names " + missing + ": " + failure.getMessage());
    }

    private static List<String> built(DocumentBuilder builder, String index, String... ids) {
        List<String> answers = new ArrayList<>();
        builder.build(Arrays.stream(ids).map(id -> new DocumentId(index, id)).toList(), new BuildOutput() {
            @Override
            public void document(DocumentId id, String source) {
                answers.add(id.id() + " " + source);
            }

            @Override
            public void deleted(DocumentId id) {
                answers.add(id.id() + " deleted");
            }

            @Override
            public void failed(DocumentId id, String reason) {
                answers.add(id.id() + " failed: " + reason);
            }
        });
        return answers;
    }
}
