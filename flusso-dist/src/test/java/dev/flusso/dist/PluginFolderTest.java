package dev.flusso.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party sink, built as its own module jar against flusso-api only, dropped into the image's
 * {@code plugins/} folder: listed, and used by a real sync from a real PostgreSQL.
 */
class PluginFolderTest {

    @TempDir
    static Path build;

    @TempDir
    Path dir;

    private static Path plugin;
    private static Path flussoApi;

    @BeforeAll
    static void buildThePlugin() throws IOException {
        flussoApi = Image.MODULES.resolve("flusso-api-" + Image.VERSION + ".jar");
        plugin = ThirdPartySink.build(build, flussoApi);
    }

    @Test
    void sinkDroppedIntoPluginsIsListedAndSyncsARealDatabase() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO authors VALUES (1, 'Ada'), (2, 'Grace')");
        Path output = dir.resolve("documents.tsv");
        Files.writeString(dir.resolve("flusso.toml"), """
                [source]
                type = "postgres"
                connection_url = "%s"
                slot = "dist_plugin"
                publication = "dist_plugin"

                [sinks.files]
                type = "textfile"
                path = "%s"

                [[index]]
                name = "authors"
                schema = "authors.schema.yml"

                [batch]
                max_changes = 100
                max_delay = "20ms"
                """.formatted(db.url(), output));
        Files.writeString(dir.resolve("authors.schema.yml"), """
                version: 1
                table: authors
                primary_key: id
                fields:
                  - text: name
                    required: true
                """);

        Path dropped = Image.HOME.resolve("plugins").resolve(plugin.getFileName());
        Files.copy(plugin, dropped);
        try {
            Image.Result listed = Image.flusso(dir, Map.of(), "plugins");
            assertEquals(0, listed.exitCode(), listed.toString());
            assertTrue(listed.out().lines().anyMatch(l -> l.matches("sink\\s+textfile\\s+" + ThirdPartySink.MODULE.replace(".", "\\.") + "\\s+"
                            + plugin.getFileName().toString().replace(".", "\\.") + "\\s+.*")),
                    "bin/flusso plugins should list the plugin's sink with its module and jar:\n" + listed);

            int metricsPort = FreePorts.pick();
            Process run = Image.start(dir, Map.of("FLUSSO_PUBLIC_ADDRESS", "127.0.0.1:" + metricsPort,
                    "FLUSSO_PRIVATE_ADDRESS", "off"), "run", "-c", "flusso.toml");
            try {
                Waits.until("the backfill of both authors into the plugin's file", Duration.ofSeconds(90),
                        () -> alive(run, dir) && ThirdPartyRun.documents(output).keySet().equals(Set.of("1", "2")));
                db.execute("UPDATE authors SET name = 'Ada Lovelace' WHERE id = 1", "DELETE FROM authors WHERE id = 2",
                        "INSERT INTO authors VALUES (3, 'Edsger')");
                Waits.until("the live changes in the plugin's file", Duration.ofSeconds(60),
                        () -> alive(run, dir) && ThirdPartyRun.documents(output).keySet().equals(Set.of("1", "3"))
                                && ThirdPartyRun.documents(output).get("1").contains("Ada Lovelace"));
                // The JDK's HTTP server (jdk.httpserver) is in the image: the metrics surface answers.
                assertEquals(200, status(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")),
                        "GET /metrics of the running image");
            } finally {
                run.destroy();
                if (!run.waitFor(30, TimeUnit.SECONDS)) {
                    run.destroyForcibly();
                }
            }
            Map<String, String> documents = ThirdPartyRun.documents(output);
            assertEquals("{\"name\":\"Ada Lovelace\"}", compact(documents.get("1")), "author 1 as the plugin wrote it");
            assertEquals("{\"name\":\"Edsger\"}", compact(documents.get("3")), "author 3 as the plugin wrote it");
        } finally {
            ThirdPartySink.delete(dropped);
        }
    }

    @Test
    void copyOfFlussoApiBesideAPluginIsIgnoredWithAWarningNamingIt() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("my-plugins"));
        Files.copy(plugin, folder.resolve(plugin.getFileName()));
        Files.copy(flussoApi, folder.resolve(flussoApi.getFileName()));

        Image.Result result = Image.flusso(dir, Map.of("FLUSSO_PLUGINS", folder.toString()), "plugins");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.err().contains(folder.resolve(flussoApi.getFileName()) + ": ignored: module dev.flusso.api is part of Flusso already"),
                "the copy of flusso-api should be named as ignored:\n" + result);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("sink\\s+textfile\\s+.*")),
                "the plugin should still load, against Flusso's own flusso-api:\n" + result);
    }

    @Test
    void pluginFolderAlsoLoadsOnAPlainModulePath() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("my-plugins"));
        Files.copy(plugin, folder.resolve(plugin.getFileName()));
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-p", Image.MODULES.toString(), "-m", "dev.flusso.cli/dev.flusso.cli.Flusso", "plugins")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("FLUSSO_PLUGINS", folder.toString());
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "flusso plugins on the module path should finish");
        String printed = Image.read(out);
        assertEquals(0, process.exitValue(), printed);
        assertTrue(printed.lines().anyMatch(l -> l.matches("sink\\s+textfile\\s+.*")),
                "the plugin should load over the module path's boot layer:\n" + printed);
        assertTrue(printed.lines().anyMatch(l -> l.matches("builder\\s+postgres\\s+.*")),
                "the module path's own providers stay:\n" + printed);
    }

    @Test
    void pluginMissingAModuleItRequiresIsReportedAndTheOthersStillLoad() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("my-plugins"));
        Files.copy(plugin, folder.resolve(plugin.getFileName()));
        Path broken = Files.createDirectories(folder.resolve("broken"));
        Path brokenJar = ThirdPartySink.buildRequiring(build.resolve("broken"), flussoApi, "com.example.absent");
        Files.copy(brokenJar, broken.resolve(brokenJar.getFileName()));

        Image.Result result = Image.flusso(dir, Map.of("FLUSSO_PLUGINS", folder.toString()), "plugins");

        assertTrue(result.err().contains(broken + ": not loaded") && result.err().contains("com.example.absent"),
                "the broken plugin folder and the module it lacks should be named:\n" + result);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("sink\\s+textfile\\s+.*")),
                "the working plugin should still load:\n" + result);
    }

    /** The document's JSON without the white space between tokens (these values have none of their own). */
    private static String compact(String json) {
        return json == null ? null : json.replaceAll("\\s*([{}:,\\[\\]])\\s*", "$1");
    }

    private static int status(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static boolean alive(Process run, Path dir) {
        if (!run.isAlive()) {
            throw new AssertionError("bin/flusso run stopped early:\n" + Image.result(dir, run.exitValue()));
        }
        return true;
    }
}
