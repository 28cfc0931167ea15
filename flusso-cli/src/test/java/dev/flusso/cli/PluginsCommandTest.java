package dev.flusso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.core.ProviderInfo;
import dev.flusso.core.Providers;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PluginsCommandTest {

    @Test
    void findsTheStdoutSinkAndTheChannelQueueAsNamedModulesOnTheModulePath() {
        assertTrue(Flusso.class.getModule().isNamed(), "the tests run on the module path");
        Providers providers = Providers.load();
        ProviderInfo stdout = find(providers, "sink", "stdout");
        ProviderInfo channel = find(providers, "queue", "channel");
        assertEquals("dev.flusso.sink.stdout", stdout.module(), "the stdout sink is found in its own module");
        assertEquals("dev.flusso.core", channel.module(), "the channel queue is found in the core module");
        assertTrue(stdout.location().endsWith(".jar") || stdout.location().contains("flusso-sink-stdout"), stdout.location());
        assertEquals(java.util.List.of(), providers.problems());
    }

    @Test
    void listsEveryProviderWithItsModuleAndJar() {
        StringWriter out = new StringWriter();
        CommandLine line = Flusso.commandLine();
        line.setOut(new PrintWriter(out));
        assertEquals(0, line.execute("plugins"));
        assertTrue(out.toString().lines().anyMatch(l -> l.matches("sink\\s+stdout\\s+dev\\.flusso\\.sink\\.stdout\\s+(flusso-sink-stdout\\S*\\.jar|classes)\\s+.*")), out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.matches("queue\\s+channel\\s+dev\\.flusso\\.core\\s+.*")), out.toString());
    }

    private static ProviderInfo find(Providers providers, String edge, String name) {
        return providers.list().stream().filter(p -> p.edge().equals(edge) && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + edge + " '" + name + "' among " + providers.list()));
    }
}
