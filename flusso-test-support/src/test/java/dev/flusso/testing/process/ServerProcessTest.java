package dev.flusso.testing.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {

    @TempDir
    Path dir;

    @Test
    void runsAsTheUnprivilegedUserWhenRootAndStopsOnClose() throws Exception {
        Path log = dir.resolve("server.log");
        ServerProcess server = ServerProcess.start("sleeper", List.of("sh", "-c", "id -un; exec sleep 300"), Map.of(), log, "TERM");
        Waits.until("the server to print its user", Duration.ofSeconds(10), () -> !server.logTail(1).isBlank());
        String expected = Unprivileged.isRoot() ? Unprivileged.USER : System.getProperty("user.name");
        assertEquals(expected, server.logTail(1).trim(), "the user the server runs as");
        assertTrue(server.isAlive());
        server.close();
        assertFalse(server.isAlive(), "closed: " + server);
    }

    @Test
    void stopsTheServerWhenTheJvmThatStartedItIsKilled() throws Exception {
        Unprivileged.own(dir);
        Path pidFile = dir.resolve("server.pid");
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        String path = String.join(java.io.File.pathSeparator, System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""));
        Process jvm = new ProcessBuilder(javaCommand, "-cp", path, StartsAServer.class.getName(), pidFile.toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        Waits.until("the child JVM's server to write its pid", Duration.ofSeconds(30), () -> size(pidFile) > 0);
        ProcessHandle server = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
        assertTrue(server.isAlive());
        jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Waits.until("the server to stop after its JVM was killed", Duration.ofSeconds(10), () -> !server.isAlive());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The child JVM: starts a server that writes its own pid, then waits to be killed. */
    public static final class StartsAServer {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[1]);
            ServerProcess.start("sleeper", List.of("sh", "-c", "echo $$ > " + args[0] + "; exec sleep 300"), Map.of(),
                    dir.resolve("server.log"), "TERM");
            Thread.sleep(300_000);
        }
    }
}
