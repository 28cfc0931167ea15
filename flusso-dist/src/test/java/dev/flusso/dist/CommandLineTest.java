package dev.flusso.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's command line as a user meets it: help, environment variables, and which file a run reads. */
class CommandLineTest {

    /** An option's first line in picocli's usage: indented, then its names. */
    private static final Pattern OPTION = Pattern.compile("^\\s+(-\\w, )?--?[\\w-]+.*");

    @TempDir
    Path dir;

    @Test
    void everyCommandAnswersHelpAndEveryOptionNamesItsEnvironmentVariable() {
        for (String command : List.of("run", "build", "check", "demo", "status", "reindex", "plugins",
                "dead-letters list", "dead-letters redrive")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            Image.Result result = Image.flusso(dir, Map.of(), args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), command + ": " + result);
            assertTrue(result.out().contains("Usage: flusso " + command), command + ": " + result);
            for (String option : options(result.out())) {
                if (option.startsWith("-h, --help") || option.startsWith("-V, --version")) {
                    continue;
                }
                assertTrue(option.contains("env FLUSSO_"), "flusso " + command + ": every flag also reads a FLUSSO_ "
                        + "environment variable, and says which: " + option);
            }
        }
    }

    @Test
    void aFlagWinsOverItsEnvironmentVariable() throws IOException {
        writeDeployment(dir.resolve("flusso.toml"), "stdout");
        Map<String, String> env = Map.of("FLUSSO_CONFIG", "elsewhere.toml");

        Image.Result flag = Image.flusso(dir, env, "check", "--offline", "-c", "flusso.toml");
        assertEquals(0, flag.exitCode(), flag.toString());

        Image.Result variable = Image.flusso(dir, env, "check", "--offline");
        assertEquals(3, variable.exitCode(), variable.toString());
        assertTrue(variable.err().contains("elsewhere.toml"), "without the flag the variable names the file: " + variable);
    }

    @Test
    void aLockNamedWithoutAConfigIsRunAsItIsNotCompiledOver() throws IOException {
        writeDeployment(dir.resolve("production.toml"), "nope");
        Image.Result built = Image.flusso(dir, Map.of(), "build", "-c", "production.toml", "-o", "production.lock");
        assertEquals(0, built.exitCode(), built.toString());
        byte[] lock = Files.readAllBytes(dir.resolve("production.lock"));
        // A deployment file in the working folder too, which a run without -c would otherwise compile.
        writeDeployment(dir.resolve("flusso.toml"), "other");

        Image.Result run = Image.flusso(dir, Map.of(), "run", "--lock", "production.lock", "--public-address", "off",
                "--private-address", "off");
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no sink provider is named 'nope'"), "the named lock is what ran: " + run);
        assertArrayEquals(lock, Files.readAllBytes(dir.resolve("production.lock")), "the named lock is left as it was");
    }

    /** {@return each option of a usage text, its wrapped lines joined} */
    private static List<String> options(String usage) {
        List<String> options = new ArrayList<>();
        boolean inOptions = false;
        for (String line : usage.lines().toList()) {
            if (OPTION.matcher(line).matches()) {
                options.add(line.trim());
                inOptions = true;
            } else if (inOptions && line.startsWith("  ") && !line.isBlank()) {
                options.set(options.size() - 1, options.get(options.size() - 1) + " " + line.trim());
            } else {
                inOptions = false;
            }
        }
        return options;
    }

    private void writeDeployment(Path toml, String sinkType) throws IOException {
        Files.writeString(dir.resolve("authors.schema.yml"), """
                version: 1
                table: authors
                primary_key: id
                fields:
                  - text: name
                """);
        Files.writeString(toml, """
                [source]
                type = "postgres"
                connection_url = "postgres://nobody@127.0.0.1:1/nothing"

                [sinks.out]
                type = "%s"

                [[index]]
                name = "authors"
                schema = "authors.schema.yml"
                """.formatted(sinkType));
    }
}
