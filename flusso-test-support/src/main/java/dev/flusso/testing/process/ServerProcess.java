package dev.flusso.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server started by tests, which stops when the tests are done, also when they fail or the test JVM is killed.
 *
 * <p>The server runs under a small shell watchdog that holds the test JVM's end of a pipe: when the JVM exits for
 * any reason, even SIGKILL, the pipe closes and the watchdog sends the server its stop signal. A shutdown hook
 * stops it the same way on an ordinary exit, and waits for it.
 */
public final class ServerProcess implements AutoCloseable {

    // A background job's stdin is /dev/null in a non-interactive shell: the pipe is handed over as fd 3.
    private static final String WATCHDOG = "sig=$1; shift; exec 3<&0; \"$@\" & child=$!; "
            + "( cat <&3 >/dev/null; kill -s \"$sig\" \"$child\" 2>/dev/null ) & exec 3<&-; wait \"$child\"";

    private final String name;
    private final Process watchdog;
    private final Path log;
    private final Thread hook;

    private ServerProcess(String name, Process watchdog, Path log) {
        this.name = name;
        this.watchdog = watchdog;
        this.log = log;
        this.hook = new Thread(this::stop, "stop " + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a server, as {@link Unprivileged#USER} when the tests run as root.
     *
     * @param name what to call it in messages
     * @param command the server's command line
     * @param environment extra environment variables
     * @param log where its output goes
     * @param stopSignal the signal that stops it cleanly and quickly ({@code INT} for PostgreSQL's fast shutdown,
     *     {@code TERM} for most others)
     * @return the running server
     */
    public static ServerProcess start(String name, List<String> command, Map<String, String> environment, Path log, String stopSignal) {
        List<String> line = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "flusso-watchdog", stopSignal));
        line.addAll(Unprivileged.command(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            return new ServerProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** {@return whether the server is still running} */
    public boolean isAlive() {
        return watchdog.isAlive();
    }

    /** {@return the last lines of the server's output, for failure messages} */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server and waits for it; idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }

    private synchronized void stop() {
        if (!watchdog.isAlive()) {
            return;
        }
        try {
            watchdog.getOutputStream().close();
            if (!watchdog.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
                watchdog.destroyForcibly();
                watchdog.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
            watchdog.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + watchdog.pid() + ")";
    }
}
