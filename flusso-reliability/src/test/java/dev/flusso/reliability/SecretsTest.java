package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.process.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No configured password in any output (scenario 33): every form {@code connection_url} takes, written in the file or
 * read from the environment, each failing the way a connection fails (no server on the port, no such database, no
 * such role), through {@code check}, {@code run} and {@code run} with JSON logs; and one run that works. The password
 * has characters a URL must percent-encode, so neither its plain nor its encoded form may show.
 */
class SecretsTest {

    private static final String PASSWORD = "Zq9$ecret/pw%x";
    private static final String ENCODED = "Zq9%24ecret%2Fpw%25x";

    private record Form(String name, String source, Map<String, String> environment, String failure) {
    }

    @Test
    void noFormOfTheConnectionUrlPrintsItsPasswordAnywhere() {
        try (Scenario scenario = Scenario.of("secrets/connection-url")) {
            Library.create(scenario, 20);
            int port = scenario.database.server().port();
            int closed = FreePorts.pick();
            String db = scenario.database.name();
            List<Form> forms = List.of(
                    new Form("a postgres:// URL in the file, no such database",
                            "connection_url = \"postgres://postgres:" + ENCODED + "@127.0.0.1:" + port + "/nosuchdb\"", Map.of(),
                            "nosuchdb"),
                    new Form("a jdbc: URL with the password as a parameter, no such role",
                            "connection_url = \"jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=nosuchrole&password="
                                    + ENCODED + "&sslmode=disable\"", Map.of(), "nosuchrole"),
                    new Form("a parts table, no server on the port",
                            "connection_url = { host = \"127.0.0.1\", port = " + closed + ", user = \"app\", password = \""
                                    + PASSWORD + "\", database = \"" + db + "\" }", Map.of(),
                            "127.0.0.1:" + closed),
                    new Form("an env reference to a postgres:// URL, no server on the port",
                            "connection_url = { env = \"SHOP_URL\" }",
                            Map.of("SHOP_URL", "postgres://app:" + ENCODED + "@127.0.0.1:" + closed + "/" + db),
                            "127.0.0.1:" + closed),
                    new Form("DATABASE_URL holding a jdbc: URL, no such role", "",
                            Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?password=" + ENCODED
                                    + "&user=nosuchrole"), "nosuchrole"));
            List<String> outputs = new ArrayList<>();
            for (Form form : forms) {
                write(scenario, form.source(), "3s");
                FlussoProcess check = scenario.start(form.environment(), "check", "-c", "flusso.toml");
                assertNotEquals(0, check.awaitExit(Duration.ofSeconds(60)), form.name() + ": check fails");
                assertTrue(check.logText().contains(form.failure()), form.name() + ": check names what failed ("
                        + form.failure() + "):\n" + check.logTail(10));
                outputs.add(form.name() + ", check:\n" + check.logText());
                FlussoProcess run = scenario.start(form.environment(), "run", "-c", "flusso.toml");
                assertNotEquals(0, run.awaitExit(Duration.ofSeconds(90)), form.name() + ": run fails");
                assertTrue(run.logText().contains(form.failure()), form.name() + ": run names what failed:\n" + run.logTail(10));
                outputs.add(form.name() + ", run:\n" + run.logText());
            }
            for (Form form : List.of(forms.get(1), forms.get(3))) {
                write(scenario, form.source(), "3s");
                Map<String, String> json = new java.util.HashMap<>(form.environment());
                json.put("FLUSSO_LOG_FORMAT", "json");
                FlussoProcess run = scenario.start(json, "run", "-c", "flusso.toml");
                assertNotEquals(0, run.awaitExit(Duration.ofSeconds(90)), form.name() + ": run with JSON logs fails");
                assertTrue(run.logText().contains("\"level\""), form.name() + ": the log is JSON:\n" + run.logTail(5));
                outputs.add(form.name() + ", run with JSON logs:\n" + run.logText());
            }

            // And a run that works, with the password in the URL (the cluster trusts every local connection).
            write(scenario, "connection_url = \"postgres://" + "postgres:" + ENCODED + "@127.0.0.1:" + port + "/" + db + "\"",
                    "10m");
            FlussoProcess check = scenario.start("check", "-c", "flusso.toml");
            assertEquals(0, check.awaitExit(Duration.ofSeconds(60)), "check of a working URL:\n" + check.logTail(20));
            outputs.add("working, check:\n" + check.logText());
            FlussoProcess run = scenario.start(Map.of("FLUSSO_LOG_LEVEL", "debug"), "run", "-c", "flusso.toml");
            run.awaitLog("streaming live changes", Duration.ofSeconds(120));
            run.stop();
            outputs.add("working, run at debug level:\n" + run.logText());

            for (String output : outputs) {
                assertFalse(output.contains(PASSWORD) || output.contains(ENCODED) || output.contains("Zq9"),
                        scenario.describe() + ": a password in the output of " + output);
            }
            scenario.pass();
        }
    }

    private static void write(Scenario scenario, String source, String giveUpAfter) {
        scenario.write("flusso.toml", """
                prefix = "%s"

                [source]
                type = "postgres"
                %s
                slot = "%s"
                publication = "%s"

                [sinks.out]
                type = "stdout"

                [failure]
                give_up_after = "%s"

                %s
                """.formatted(scenario.prefix, source, scenario.slot, scenario.slot, giveUpAfter, Library.INDEX_SECTION));
    }
}
