package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.spi.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

    @TempDir
    Path dir;

    @Test
    void connectionPartsBecomeOneUrlWithUserAndPasswordEncoded() {
        Settings source = Settings.of("source", Map.of("type", "postgres", "connection_url",
                Map.of("host", "db.internal", "port", 6432L, "user", "sync user", "password", "p@ss:w/rd+", "database", "shop")));
        Settings normal = SourceSection.normalise(source, Map.of());
        assertEquals("postgresql://sync%20user:p%40ss%3Aw%2Frd%2B@db.internal:6432/shop", normal.requireString("connection_url"));
    }

    @Test
    void anAbsentUrlReadsDatabaseUrlAndOverridesWin() {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("slot", "blue");
        overrides.put("publication", null);
        Settings normal = SourceSection.normalise(Settings.of("source", Map.of("type", "postgres", "slot", "green")), overrides);
        assertEquals(Map.of("env", "DATABASE_URL"), normal.asMap().get("connection_url"));
        assertEquals("blue", normal.requireString("slot"), "a command-line value replaces the file's");
        assertTrue(normal.string("publication").isEmpty(), "an absent override leaves the file as it is");
    }

    @Test
    void withNoConfigAndNoLockRunSaysWhatToDo() {
        StringWriter err = new StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setErr(new PrintWriter(err));
        assertEquals(Flusso.EXIT_CONFIG, line.execute("run", "--lock", dir.resolve("flusso.lock").toString()));
        assertEquals("flusso: no flusso.toml to compile and no compiled lock at " + dir.resolve("flusso.lock")
                + "; create a config or build a lock first (flusso build -c flusso.toml)", err.toString().trim());
    }

    @Test
    void anExplicitConfigThatDoesNotExistIsNamed() {
        StringWriter err = new StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setErr(new PrintWriter(err));
        assertEquals(Flusso.EXIT_CONFIG, line.execute("run", "-c", dir.resolve("nope.toml").toString()));
        assertEquals("flusso: config file " + dir.resolve("nope.toml") + " not found", err.toString().trim());
    }
}
