package dev.flusso.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flusso.toml: sections, our own sections, reserved-variable overrides, validation, and the lock file. */
class DeploymentTest {

    private static final String SCHEMA = "version: 1\ntable: users\nprimary_key: id\nfields:\n  - integer: id\n";

    @TempDir
    Path dir;

    private Path write(String toml) throws IOException {
        Files.writeString(dir.resolve("users.schema.yml"), SCHEMA);
        return Files.writeString(dir.resolve("flusso.toml"), toml);
    }

    private String problems(String toml) throws IOException {
        Path file = write(toml);
        return assertThrows(SchemaException.class, () -> Deployment.load(file, Map.<String, String>of()::get),
                "deployment should be rejected:\n" + toml).getMessage().replace(file.toString(), "flusso.toml");
    }

    private static final String MINIMAL = "[source]\ntype = \"postgres\"\nconnection_url = \"postgres://localhost/dev\"\n\n"
            + "[sinks.primary]\ntype = \"opensearch\"\nurl = \"https://localhost:9200\"\n\n"
            + "[[index]]\nname = \"users\"\nschema = \"users.schema.yml\"\n";

    @Test
    void readsOurOwnSectionsAndAppliesTheirDefaults() throws IOException {
        Deployment deployment = Deployment.load(write(MINIMAL + "\n[batch]\nmax_changes = 50\nmax_delay = \"2s\"\nmax_in_flight = 3\n"
                + "\n[queue]\ncapacity = 64\n\n[failure]\nflush_attempts = 3\ngive_up_after = \"90s\"\n"), Map.<String, String>of()::get);
        assertEquals(new BatchPolicy(50, Duration.ofSeconds(2), 3), deployment.batch(), "batch policy");
        assertEquals("channel", deployment.queue().string("type", null), "default queue type");
        assertEquals(64, deployment.queue().integer("capacity", 0), "queue capacity");
        assertEquals(new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(90)),
                deployment.failure().retry(), "retry policy");
        assertEquals(RejectionPolicy.STOP, deployment.onError(), "default on_error");
        assertEquals(true, deployment.index("users").orElseThrow().enabled(), "an index without 'enabled' is enabled");
    }

    @Test
    void acceptsOurSourceAndSinkKeys() throws IOException {
        Deployment deployment = Deployment.load(write(MINIMAL
                .replace("connection_url = \"postgres://localhost/dev\"", "connection_url = \"postgres://localhost/dev\"\n"
                        + "capture = \"wal\"\nslot = \"blue\"\npublication = \"docs\"\nstatus_interval = \"5s\"\n"
                        + "sslmode = \"verify-full\"\nsslpassword = { env = \"KEY_PASS\" }")
                .replace("url = \"https://localhost:9200\"", "url = [\"https://a:9200\", \"https://b:9200\"]\n"
                        + "ca_file = \"/etc/ca.pem\"\ncompression = true")), Map.<String, String>of()::get);
        assertEquals("blue", deployment.source().requireString("slot"), "slot");
        assertEquals(List.of("https://a:9200", "https://b:9200"), deployment.sinks().get("primary").settings().strings("url"), "hosts");
    }

    @Test
    void rejectsANonStringHostAndAMistypedSourceKey() throws IOException {
        String message = problems(MINIMAL
                .replace("connection_url = \"postgres://localhost/dev\"", "connection_url = \"postgres://localhost/dev\"\nslot = 3")
                .replace("url = \"https://localhost:9200\"", "url = [\"https://a:9200\", 9200]"));
        assertEquals("flusso.toml:4:1 source.slot: found the number 3, expected a string\n"
                + "flusso.toml:8:1 sinks.primary.url[1]: found the number 9200, expected a string or an env reference { env = \"VAR\" }",
                message);
    }

    @Test
    void reservedVariablesOverrideLiteralsButNotExplicitReferences() throws IOException {
        Map<String, String> env = Map.of("DATABASE_URL", "postgres://prod/db", "PRIMARY_OPENSEARCH_URL", "https://os:9200",
                "PRIMARY_OPENSEARCH_PASSWORD", "s3cret", "MY_USER", "alice");
        Deployment deployment = Deployment.load(write(MINIMAL.replace("url = \"https://localhost:9200\"",
                "url = \"https://localhost:9200\"\nusername = { env = \"MY_USER\" }")), env::get);
        assertEquals("postgres://prod/db", deployment.source().requireString("connection_url"), "DATABASE_URL wins over a literal");
        SinkConfig primary = deployment.sinks().get("primary");
        assertEquals(Map.of("env", "PRIMARY_OPENSEARCH_URL"), primary.settings().asMap().get("url"), "url stays a reference");
        assertEquals("https://os:9200", primary.settings().requireString("url"), "reserved URL wins over a literal");
        assertEquals("s3cret", primary.settings().requireString("password"), "reserved password fills an absent value");
        assertEquals("alice", primary.settings().requireString("username"), "an explicit reference is not overridden");
    }

    @Test
    void reportsEveryProblemOfTheDeploymentWithItsLine() throws IOException {
        String message = problems("on_error = \"ignore\"\n[source]\ntype = \"postgres\"\nconnection_url = 5432\n\n"
                + "[sinks.Primary]\ntype = \"opensearch\"\nurl = { env = \"OS\", oops = \"x\" }\nbatch_size = -1\n\n"
                + "[server]\npublic_address = \"localhost:9464\"\n\n"
                + "[[index]]\nname = \"users\"\nschema = \"ghost.schema.yml\"\nenabled = true\n");
        assertEquals(List.of(
                "flusso.toml:1:1 on_error: found 'ignore', expected stop, skip or dead_letter",
                "flusso.toml:4:1 source.connection_url: found the number 5432, expected a connection URL string, an env reference"
                        + " { env = \"VAR\" }, or a connection-parts table { host, port, user, password, database }",
                "flusso.toml:8:21 sinks.Primary.url.oops: found the key 'oops' in an env reference, expected only { env = \"VAR\" }",
                "flusso.toml:9:1 sinks.Primary.batch_size: found the number -1, expected a whole number of at least 0",
                "flusso.toml:12:1 server.public_address: found 'localhost:9464', expected an IP socket address such as"
                        + " 0.0.0.0:9464 or [::1]:9465 (no host names)",
                "flusso.toml:16:1 index 'users'.schema: found 'ghost.schema.yml', which cannot be read (NoSuchFileException),"
                        + " expected a readable schema file"),
                message.lines().toList());
    }

    @Test
    void rejectsDuplicateIndexNamesAndSinkNamesAfterLowercasing() throws IOException {
        String message = problems(MINIMAL + "\n[sinks.PRIMARY]\ntype = \"stdout\"\n\n[[index]]\nname = \"Users\"\nschema = \"users.schema.yml\"\n");
        assertEquals(List.of(
                "flusso.toml:13:1 sinks.PRIMARY: found the sink name 'primary' twice (names are lowercased), expected distinct sink names",
                "flusso.toml:17:1 index[1].name: found the index name 'users' twice, expected distinct index names"),
                message.lines().toList());
    }

    @Test
    void reportsProblemsOfSchemaFilesTogetherWithTheDeployment() throws IOException {
        Path file = write(MINIMAL + "prefix = 7\n");
        Files.writeString(dir.resolve("users.schema.yml"), "version: 1\ntable: users\nfields:\n  - integr: id\n");
        String message = assertThrows(SchemaException.class, () -> Deployment.load(file, Map.<String, String>of()::get))
                .getMessage().replace(file.toString(), "flusso.toml");
        assertEquals(List.of(
                "flusso.toml:12:1 index[0].prefix: found unknown key 'prefix', expected one of: enabled, name, on_error, schema",
                "users.schema.yml:4:5 fields[0]: found no type key (keys: integr), expected exactly one of: " + fieldKinds()),
                message.lines().toList());
    }

    private static String fieldKinds() {
        return "a scalar type (text, identifier, keyword, enum, uuid, boolean, short, integer, long, float, double, decimal,"
                + " date, timestamp, binary, json), custom, geo, map, object, constant, belongs_to, has_one, has_many,"
                + " many_to_many, count, sum, avg, min, max or ids";
    }

    @Test
    void lockFileLoadsWithoutTheSourceFilesAndKeepsSecretsUnresolved() throws IOException {
        Path toml = write(MINIMAL.replace("connection_url = \"postgres://localhost/dev\"", "connection_url = { env = \"PG\" }")
                + "on_error = \"skip\"\n");
        Deployment deployment = Deployment.load(toml, Map.<String, String>of()::get);
        Path lock = dir.resolve("flusso.lock");
        LockFile.write(deployment, lock);
        Files.delete(toml);
        Files.delete(dir.resolve("users.schema.yml"));
        Deployment read = LockFile.read(lock, Map.<String, String>of()::get);
        assertEquals(deployment.indexes(), read.indexes(), "indexes read back from the lock");
        assertEquals(deployment.indexes().get(0).fingerprint(), read.indexes().get(0).fingerprint(), "fingerprint read back");
        assertEquals(Map.of("env", "PG"), read.source().asMap().get("connection_url"), "source reference read back unresolved");
        assertEquals(deployment.declared(), read.declared(), "declared deployment read back");
        assertEquals(LockFile.toJson(deployment), LockFile.toJson(read), "lock written again is identical");
    }

    @Test
    void lockFileWithAStaleFingerprintIsRejected() throws IOException {
        Deployment deployment = Deployment.load(write(MINIMAL), Map.<String, String>of()::get);
        String fingerprint = deployment.indexes().get(0).fingerprint();
        Path lock = Files.writeString(dir.resolve("flusso.lock"), LockFile.toJson(deployment).replace(fingerprint, "0".repeat(64)));
        String message = assertThrows(SchemaException.class, () -> LockFile.read(lock, Map.<String, String>of()::get)).getMessage();
        assertEquals("flusso.lock:22:23 indexes.users.fingerprint: found a long string, expected '" + fingerprint
                + "': the lock was built by a different schema compiler; run flusso build again",
                message.replace(lock.toString(), "flusso.lock"));
    }
}
