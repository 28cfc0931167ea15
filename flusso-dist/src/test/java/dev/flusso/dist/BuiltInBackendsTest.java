package dev.flusso.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.opensearch.HttpReply;
import dev.flusso.testing.opensearch.OpenSearchServer;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in backends as the image loads them, from {@code lib/backends/} as a module layer: pgjdbc and
 * opensearch-java (automatic modules), the JSON provider they find through the context class loader, the JDK modules
 * jdeps found for them.
 */
class BuiltInBackendsTest {

    @TempDir
    Path dir;

    @Test
    void syncsARealDatabaseIntoARealOpenSearchFromTheLayer() throws Exception {
        OpenSearchServer search = OpenSearchServer.shared();
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO authors VALUES (1, 'Ada'), (2, 'Grace')");
        Files.writeString(dir.resolve("flusso.toml"), """
                prefix = "dist_"

                [source]
                type = "postgres"
                connection_url = "%s"
                slot = "dist_builtin"
                publication = "dist_builtin"

                [sinks.search]
                type = "opensearch"
                url = "%s"

                [[index]]
                name = "authors"
                schema = "authors.schema.yml"

                [batch]
                max_changes = 100
                max_delay = "20ms"
                """.formatted(db.url(), search.url()));
        Files.writeString(dir.resolve("authors.schema.yml"), """
                version: 1
                table: authors
                primary_key: id
                fields:
                  - text: name
                    required: true
                """);

        Process run = Image.start(dir, Map.of("FLUSSO_PUBLIC_ADDRESS", "off", "FLUSSO_PRIVATE_ADDRESS", "off"),
                "run", "-c", "flusso.toml");
        try {
            Waits.until("both authors in OpenSearch", Duration.ofSeconds(120), () -> count(search, run) == 2);
            db.execute("INSERT INTO authors VALUES (3, 'Edsger')");
            Waits.until("the live insert in OpenSearch", Duration.ofSeconds(60), () -> count(search, run) == 3);
        } finally {
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
        assertLoadedEverything(Image.read(dir.resolve("stderr.txt")));
    }

    private static void assertLoadedEverything(String stderr) {
        for (String missing : new String[] {"NoClassDefFoundError", "ClassNotFoundException", "ServiceConfigurationError",
            "JsonException", "FindException"}) {
            assertTrue(!stderr.contains(missing), "no class, module or service should be missing from the image (" + missing + "):\n" + stderr);
        }
    }

    private int count(OpenSearchServer search, Process run) {
        if (!run.isAlive()) {
            throw new AssertionError("bin/flusso run stopped early:\n" + Image.result(dir, run.exitValue()));
        }
        search.http().refresh("dist_*");
        HttpReply reply = search.http().get("/dist_authors/_count");
        if (!reply.ok()) {
            return -1;
        }
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(reply.body());
        return count.find() ? Integer.parseInt(count.group(1)) : -1;
    }
}
