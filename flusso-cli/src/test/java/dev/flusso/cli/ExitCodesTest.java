package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed run says which edge failed, by its exit code, so that scripts and supervisors can tell them apart. */
class ExitCodesTest {

    @TempDir
    Path dir;

    @Test
    void anUnreachableDatabaseIsASourceFailure() throws Exception {
        Path toml = Deployments.authors(dir, "postgres://nobody@127.0.0.1:" + FreePorts.pick() + "/nothing", Deployments.NAMES, """
                [sinks.out]
                type = "stdout"
                path = "%s"

                [failure]
                give_up_after = "1s"
                """.formatted(dir.resolve("docs.ndjson")));
        assertEquals(Flusso.EXIT_SOURCE, Flusso.run("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(), "--public-address", "off", "--private-address", "off"));
    }

    @Test
    void anUnreachableSearchEngineIsASinkFailure() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text)");
        Path toml = Deployments.authors(dir, db.url(), Deployments.NAMES, """
                [sinks.search]
                type = "opensearch"
                url = "http://127.0.0.1:%d"
                max_retries = 0
                timeout_secs = 2

                [failure]
                give_up_after = "1s"
                """.formatted(FreePorts.pick()));
        assertEquals(Flusso.EXIT_SINK, Flusso.run("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(), "--public-address", "off", "--private-address", "off"),
                "the schema fits the database, and the sink ensures its mappings before the source is read");
    }

    @Test
    void aBadSettingIsAConfigurationErrorWhicheverEdgeReadsIt() throws Exception {
        Path toml = Deployments.authors(dir, "postgres://nobody@127.0.0.1:1/nothing", Deployments.NAMES, """
                [sinks.out]
                type = "stdout"
                pretty = "very"
                """);
        assertEquals(Flusso.EXIT_CONFIG, Flusso.run("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(), "--public-address", "off", "--private-address", "off"));
    }


    @Test
    void aRoleApartWithAnInProcessQueueIsAConfigurationError() throws Exception {
        Path toml = Deployments.authors(dir, "postgres://nobody@127.0.0.1:1/nothing", Deployments.NAMES, null);
        for (String role : new String[] {"worker", "capture", "sideways"}) {
            assertEquals(Flusso.EXIT_CONFIG, Flusso.run("run", "-c", toml.toString(), "--lock", dir.resolve("flusso.lock").toString(),
                    "--public-address", "off", "--private-address", "off", "--role", role), role);
        }
    }
}
