package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BuildAndCheckCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void deployment() throws Exception {
        Files.writeString(dir.resolve("flusso.toml"), """
                [source]
                type = "postgres"
                connection_url = { env = "DATABASE_URL" }

                [sinks.out]
                type = "stdout"

                [[index]]
                name = "users"
                schema = "users.schema.yml"
                enabled = true
                """);
        Files.writeString(dir.resolve("users.schema.yml"), """
                version: 1
                table: users
                primary_key: id
                fields:
                  - keyword: email
                    required: true
                  - has_many: orders
                    table: orders
                    primary_key: id
                    foreign_key: user_id
                    fields:
                      - decimal: total
                """);
    }

    private int run(String... args) {
        CommandLine line = Flusso.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    @Test
    void checkPrintsEachIndexWithItsTypedMapping() {
        assertEquals(0, run("check", "--offline", "-c", dir.resolve("flusso.toml").toString()));
        String text = out.toString();
        assertTrue(text.contains("valid; 1 index(es), 1 sink(s)"), text);
        assertTrue(text.contains("root public.users, key [id]; reads [public.orders, public.users]"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+orders\\s+nested")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+total\\s+double")), text);
    }

    @Test
    void checkListsEveryProblemWithItsPlaceAndExitsWithTheConfigurationCode() throws Exception {
        Files.writeString(dir.resolve("users.schema.yml"), """
                version: 1
                table: users
                primary_key: id
                fields:
                  - keyword: email
                    requierd: true
                  - has_many: orders
                    table: orders
                    primary_key: id
                    fields:
                      - decimal: total
                """);
        assertEquals(Flusso.EXIT_CONFIG, run("check", "--offline", "-c", dir.resolve("flusso.toml").toString()));
        String text = out.toString();
        assertTrue(text.contains("2 problem(s)"), text);
        assertTrue(text.contains("users.schema.yml:6:5 fields[0].keyword 'email'.requierd: found unknown key 'requierd'"), text);
        assertTrue(text.contains("users.schema.yml:7:5 fields[1].has_many 'orders': found no 'foreign_key'"), text);
    }

    @Test
    void checkSpeaksJsonOnRequest() throws Exception {
        assertEquals(0, run("check", "--offline", "--format", "json", "-c", dir.resolve("flusso.toml").toString()));
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertTrue(report.get("valid").asBoolean());
        JsonNode users = report.get("indexes").get(0);
        assertEquals("users", users.get("name").asText());
        assertEquals("nested", users.get("mapping").get("properties").get("orders").get("type").asText());
        assertEquals(64, users.get("fingerprint").asText().length());
    }

    @Test
    void aLockFileStandsInForTheSources() throws Exception {
        Path lock = dir.resolve("flusso.lock");
        assertEquals(0, run("build", "-c", dir.resolve("flusso.toml").toString(), "-o", lock.toString()));
        assertTrue(out.toString().startsWith("wrote " + lock + ": 1 index(es): users "), out.toString());
        String before = checkJson("--lock", lock.toString());
        Files.delete(dir.resolve("users.schema.yml"));
        Files.delete(dir.resolve("flusso.toml"));
        assertEquals(before, checkJson("--lock", lock.toString()), "the lock alone gives the same indexes and mappings");
        assertTrue(Files.readString(lock).contains("\"env\" : \"DATABASE_URL\"") || Files.readString(lock).contains("\"env\":\"DATABASE_URL\""),
                "secrets stay references in the lock");
    }

    @Test
    void aMissingDeploymentFileSaysHowToPointAtOne() {
        assertEquals(Flusso.EXIT_CONFIG, run("check", "-c", dir.resolve("nope.toml").toString()));
        assertEquals("flusso: deployment file '" + dir.resolve("nope.toml") + "' does not exist; pass -c PATH or set FLUSSO_CONFIG",
                err.toString().trim());
    }

    private String checkJson(String... source) {
        StringWriter json = new StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setOut(new PrintWriter(json));
        String[] args = new String[source.length + 3];
        args[0] = "check";
        args[1] = "--offline";
        args[2] = "--format=json";
        System.arraycopy(source, 0, args, 3, source.length);
        assertEquals(0, line.execute(args), json::toString);
        return json.toString();
    }
}
