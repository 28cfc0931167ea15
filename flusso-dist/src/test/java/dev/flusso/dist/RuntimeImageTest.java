package dev.flusso.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaging: each Flusso jar's module descriptor, and the built image started as a user starts it. */
class RuntimeImageTest {

    /** Each backend module and the edge it provides. */
    private static final Map<String, String> PROVIDES = Map.of(
            "dev.flusso.postgres", "provides dev.flusso.api.spi.BuilderProvider",
            "dev.flusso.source.wal", "provides dev.flusso.api.spi.CaptureProvider",
            "dev.flusso.sink.opensearch", "provides dev.flusso.api.spi.SinkProvider",
            "dev.flusso.sink.stdout", "provides dev.flusso.api.spi.SinkProvider",
            "dev.flusso.core", "provides dev.flusso.api.spi.QueueProvider");

    @TempDir
    Path dir;

    @Test
    void everyFlussoJarDescribesItsNamedVersionedModule() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(Image.MODULES)) {
            jars = files.filter(p -> p.getFileName().toString().startsWith("flusso-")).sorted().toList();
        }
        assertTrue(jars.size() >= 8, "the image's Flusso jars: " + jars);
        for (Path jar : jars) {
            String artifact = jar.getFileName().toString().replace("-" + Image.VERSION + ".jar", "");
            String module = "dev." + artifact.replace('-', '.');
            String description = ThirdPartySink.tool("jar", "--describe-module", "--file", jar.toString());
            assertTrue(description.startsWith(module + "@" + Image.VERSION + " "),
                    jar.getFileName() + " should describe module " + module + "@" + Image.VERSION + ":\n" + description);
            assertFalse(description.contains("automatic"), jar.getFileName() + " should not be an automatic module:\n" + description);
            String provides = PROVIDES.get(module);
            if (provides != null) {
                assertTrue(description.contains(provides), jar.getFileName() + " should declare '" + provides + "':\n" + description);
            }
        }
    }

    @Test
    void imageLinksFlussoAndTheJdkModulesTheLayersNeed() {
        String modules = ThirdPartyRun.java("--list-modules");
        for (String module : Set.of("dev.flusso.api", "dev.flusso.core", "dev.flusso.schema", "dev.flusso.dist", "java.sql",
                "java.naming", "jdk.crypto.ec", "jdk.httpserver")) {
            assertTrue(modules.lines().anyMatch(l -> l.startsWith(module + "@")), "the image should link " + module + ":\n" + modules);
        }
        assertFalse(modules.contains("org.postgresql.jdbc"), "pgjdbc, an automatic module, cannot be linked:\n" + modules);
        assertTrue(Files.isRegularFile(Image.HOME.resolve("lib/backends/postgresql-42.7.10.jar")),
                "pgjdbc should be in lib/backends, loaded as a module layer");
        assertTrue(Files.isRegularFile(Image.HOME.resolve("lib/flusso.jsa")), "the image should ship its class-data-sharing archive");
        assertTrue(Files.isDirectory(Image.HOME.resolve("plugins")), "the image should have a plugins folder");
    }

    @Test
    void bootsWithoutAJdkAndPrintsItsVersion() {
        Image.Result result = Image.flusso(dir, Map.of(), "--version");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("flusso " + Image.VERSION, result.out().strip(), result.toString());
    }

    @Test
    void startsWithMemorySettingsThatFitAContainer() {
        String flags = flags(Image.flusso(dir, Map.of("FLUSSO_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version"));
        for (String flag : List.of("-XX:MaxRAMPercentage=50.", "-XX:ErgoHeapSizeLimit=536870912", "-XX:+ExitOnOutOfMemoryError",
                "-XX:G1PeriodicGCInterval=60000")) {
            assertTrue(flags.contains(flag), "bin/flusso should start the JVM with " + flag + ":\n" + flags);
        }
        assertTrue(maxHeap(flags) <= 512L << 20, "the heap is at most 512 MB by default:\n" + flags);
    }

    @Test
    void aHeapSizeOfYoursReplacesTheDefaultAndYourOtherOptionsWin() {
        String xmx = flags(Image.flusso(dir, Map.of("FLUSSO_JAVA_OPTS", "-Xmx1g -XX:-ExitOnOutOfMemoryError -XX:+PrintCommandLineFlags"),
                "--version"));
        assertEquals(1L << 30, maxHeap(xmx), "-Xmx1g should size the heap:\n" + xmx);
        assertFalse(xmx.contains("ErgoHeapSizeLimit") || xmx.contains("MaxRAMPercentage"), "no default heap setting beside yours:\n" + xmx);
        assertTrue(xmx.contains("-XX:-ExitOnOutOfMemoryError"), "an option of yours comes after the defaults and wins:\n" + xmx);

        String percentage = flags(Image.flusso(dir, Map.of("FLUSSO_JAVA_OPTS", "-XX:MaxRAMPercentage=75 -XX:+PrintCommandLineFlags"),
                "--version"));
        assertTrue(percentage.contains("-XX:MaxRAMPercentage=75.") && !percentage.contains("ErgoHeapSizeLimit"),
                "-XX:MaxRAMPercentage=75 alone should size the heap, with no cap of ours:\n" + percentage);

        String toolOptions = flags(Image.flusso(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xmx300m", "FLUSSO_JAVA_OPTS",
                "-XX:+PrintCommandLineFlags"), "--version"));
        assertEquals(300L << 20, maxHeap(toolOptions), "a heap size in JAVA_TOOL_OPTIONS, which the JVM reads before the "
                + "command line, should not be overridden by ours:\n" + toolOptions);
    }

    /** {@return the flags the JVM printed with -XX:+PrintCommandLineFlags}, on the line before the version */
    private static String flags(Image.Result result) {
        assertEquals(0, result.exitCode(), result.toString());
        return result.out().lines().filter(l -> l.contains("-XX:MaxHeapSize=")).findFirst()
                .orElseThrow(() -> new AssertionError("no JVM flags printed:\n" + result));
    }

    private static long maxHeap(String flags) {
        Matcher size = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
        assertTrue(size.find(), flags);
        return Long.parseLong(size.group(1));
    }

    @Test
    void listsEveryBuiltInProviderWithItsModule() {
        Image.Result result = Image.flusso(dir, Map.of(), "plugins");
        assertEquals(0, result.exitCode(), result.toString());
        for (List<String> row : List.of(List.of("capture", "wal", "dev.flusso.source.wal"), List.of("queue", "channel", "dev.flusso.core"),
                List.of("builder", "postgres", "dev.flusso.postgres"), List.of("sink", "opensearch", "dev.flusso.sink.opensearch"),
                List.of("sink", "stdout", "dev.flusso.sink.stdout"))) {
            assertTrue(result.out().lines().anyMatch(l -> List.of(l.trim().split("\\s+")).subList(0, 3).equals(row)),
                    "bin/flusso plugins should list " + row + ":\n" + result);
        }
    }

    @Test
    void checksADeploymentOffline() throws IOException {
        Path training = Path.of("src/build/training");
        Files.copy(training.resolve("flusso.toml"), dir.resolve("flusso.toml"));
        Files.copy(training.resolve("customers.schema.yml"), dir.resolve("customers.schema.yml"));
        Image.Result result = Image.flusso(dir, Map.of(), "check", "--offline", "-c", "flusso.toml");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("valid; 1 index(es), 1 sink(s)"), result.toString());
    }
}
