package dev.flusso.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One real {@code flusso run} process, started from the jars this module copied into {@code target/flusso-lib},
 * exactly as the launcher starts it: {@code java --module-path … --module dev.flusso.cli/dev.flusso.cli.Flusso}.
 *
 * <p>It runs under a small shell watchdog holding this JVM's end of a pipe, so a test JVM that dies, even by
 * SIGKILL, takes the flusso process with it. {@link #kill()} sends SIGKILL to the java process itself (a crash),
 * {@link #stop()} SIGTERM (the clean stop).
 */
final class FlussoProcess implements AutoCloseable {

    private static final String WATCHDOG = "exec 3<&0; \"$@\" & child=$!; "
            + "( cat <&3 >/dev/null; kill -KILL \"$child\" 2>/dev/null ) & exec 3<&-; wait \"$child\"";

    private final Process watchdog;
    private final Path log;
    private final String name;

    private FlussoProcess(String name, Process watchdog, Path log) {
        this.name = name;
        this.watchdog = watchdog;
        this.log = log;
    }

    /**
     * Starts {@code flusso <args>} in a folder.
     *
     * @param folder the working folder (the config and lock live there)
     * @param log where standard output and error go (appended)
     * @param environment extra environment variables
     * @param args the command line after {@code flusso}, such as {@code run -c flusso.toml}
     */
    static FlussoProcess start(Path folder, Path log, Map<String, String> environment, String... args) {
        return startWithModules(folder, log, environment, ADD_MODULES, args);
    }

    /**
     * Extra {@code --add-modules} for every scenario's command line; empty by default, so that scenarios run the
     * launcher's exact line. It once had to name {@code jakarta.json} and {@code org.apache.commons.logging}, which
     * nothing required (see {@code LauncherTest}); the sink requires them now.
     */
    static final String ADD_MODULES = System.getProperty("flusso.launcher.addModules", "");

    /** As {@link #start(Path, Path, Map, String...)}, with {@code --add-modules} of its own (empty: none). */
    static FlussoProcess startWithModules(Path folder, Path log, Map<String, String> environment, String addModules, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "flusso-watchdog", java(),
                "-Xmx256m", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "--module-path", lib().toString()));
        if (!addModules.isBlank()) {
            command.addAll(List.of("--add-modules", addModules));
        }
        command.addAll(List.of("--module", "dev.flusso.cli/dev.flusso.cli.Flusso"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("FLUSSO_") || key.equals("DATABASE_URL"));
        // Scenarios are about sync, and fixed metrics/admin ports would collide with any other flusso on the machine.
        builder.environment().put("FLUSSO_PUBLIC_ADDRESS", "off");
        builder.environment().put("FLUSSO_PRIVATE_ADDRESS", "off");
        builder.environment().putAll(environment);
        try {
            return new FlussoProcess(String.join(" ", args), builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start flusso " + String.join(" ", args), e);
        }
    }

    /** {@return the folder of flusso's module jars} */
    static Path lib() {
        String lib = System.getProperty("flusso.lib");
        Path folder = lib == null || lib.isBlank() ? Path.of("target", "flusso-lib") : Path.of(lib);
        if (!Files.isRegularFile(folder.resolve("flusso-cli-" + version() + ".jar"))) {
            throw new IllegalStateException("flusso's jars are not in " + folder.toAbsolutePath()
                    + "; run the tests through Maven (mvn -f flusso-reliability/pom.xml verify), which copies them there");
        }
        return folder.toAbsolutePath();
    }

    private static String version() {
        return "0.1.0-SNAPSHOT";
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@return whether the flusso process still runs} */
    boolean isAlive() {
        return watchdog.isAlive();
    }

    /** The java process under the watchdog: empty once it has exited. */
    private Optional<ProcessHandle> flusso() {
        return watchdog.children().filter(child -> child.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst();
    }

    /** Crashes the process: SIGKILL, no shutdown hook runs; waits until it is gone. */
    void kill() {
        flusso().ifPresent(ProcessHandle::destroyForcibly);
        awaitExit(Duration.ofSeconds(30));
    }

    /** Asks for the clean stop (SIGTERM) and returns the exit code. */
    int stop() {
        flusso().ifPresent(ProcessHandle::destroy);
        return awaitExit(Duration.ofSeconds(60));
    }

    /**
     * {@return the exit code} Waits for the process to end by itself.
     *
     * @throws AssertionError if it still runs after the timeout
     */
    int awaitExit(Duration timeout) {
        try {
            if (!watchdog.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("flusso " + name + " still runs after " + timeout.toSeconds() + " s; log ends:\n" + logTail(30));
            }
            closePipe();
            return watchdog.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for flusso to exit", e);
        }
    }

    /** Waits until the log holds a line containing {@code text} after this process started, or it exits. */
    void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logText().contains(text)) {
                return;
            }
            if (!watchdog.isAlive()) {
                throw new AssertionError("flusso exited (code " + watchdog.exitValue() + ") before logging '" + text
                        + "'; log ends:\n" + logTail(40));
            }
            sleep(20);
        }
        throw new AssertionError("flusso did not log '" + text + "' within " + timeout.toSeconds() + " s; log ends:\n" + logTail(40));
    }

    /** {@return the whole log so far} */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@return the last lines of the log, for failure messages} */
    String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private void closePipe() {
        try {
            watchdog.getOutputStream().close();
        } catch (IOException e) {
            // the watchdog is gone already
        }
    }

    /** Kills the process if it still runs; a test's last word. */
    @Override
    public void close() {
        if (watchdog.isAlive()) {
            kill();
        }
        closePipe();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
