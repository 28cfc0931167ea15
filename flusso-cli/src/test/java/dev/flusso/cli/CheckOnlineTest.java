package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** flusso check without --offline: the files, then the database and each sink, with what to fix. */
class CheckOnlineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCHEMA = """
            version: 1
            table: authors
            primary_key: id
            fields:
              - text: name
                required: true
              - integer: born
            """;

    @TempDir
    Path dir;

    @Test
    void aDatabaseThatFitsPassesAndAMismatchNamesTableColumnAndFix() throws Exception {
        PostgresDatabase db = PostgresServer.shared().createDatabase();
        db.execute("CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL, born integer)");
        Path toml = Deployments.authors(dir, db.url(), SCHEMA, null);

        Output fits = check(toml);
        assertEquals(0, fits.exit(), fits.text());
        JsonNode findings = JSON.readTree(fits.text()).get("findings");
        assertTrue(JSON.readTree(fits.text()).get("valid").asBoolean(), fits.text());
        assertTrue(contains(findings, "source", "ok", "index 'authors'"), fits.text());

        db.execute("ALTER TABLE authors ALTER COLUMN born TYPE text");
        Output mismatch = check(toml);
        assertEquals(Flusso.EXIT_SOURCE, mismatch.exit(), mismatch.text());
        JsonNode problems = JSON.readTree(mismatch.text()).get("findings");
        assertTrue(contains(problems, "source", "error", "column 'born'"), mismatch.text());
        JsonNode error = first(problems, "error");
        assertTrue(error.get("message").asText().contains("text") && !error.get("fix").asText().isEmpty(), error.toString());
    }

    @Test
    void anUnreachableDatabaseIsASourceErrorWithAFix() throws Exception {
        Output output = check(Deployments.authors(dir, "postgres://nobody@127.0.0.1:1/nothing", SCHEMA, null));
        assertEquals(Flusso.EXIT_SOURCE, output.exit(), output.text());
        JsonNode error = first(JSON.readTree(output.text()).get("findings"), "error");
        assertTrue(error.get("message").asText().contains("127.0.0.1:1"), error.toString());
    }

    private record Output(int exit, String text) {
    }

    private static Output check(Path toml) {
        StringWriter out = new StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setOut(new PrintWriter(out));
        int exit = line.execute("check", "-c", toml.toString(), "--format", "json");
        return new Output(exit, out.toString());
    }

    private static boolean contains(JsonNode findings, String edge, String severity, String subject) {
        for (JsonNode finding : findings) {
            if (finding.get("edge").asText().equals(edge) && finding.get("severity").asText().equals(severity)
                    && finding.get("subject").asText().contains(subject)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode first(JsonNode findings, String severity) {
        for (JsonNode finding : findings) {
            if (finding.get("severity").asText().equals(severity)) {
                return finding;
            }
        }
        throw new AssertionError("no " + severity + " among " + findings);
    }

}
