package dev.flusso.reliability;

import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.ServerProcess;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restarts a {@link PostgresServer} of a test's own, which the harness cannot do: the postmaster gets a signal
 * ({@code INT} fast stop, {@code QUIT} immediate stop, which makes the next start run crash recovery), then starts
 * again from the same data folder, port and settings (its own {@code postmaster.opts}) under the harness's watchdog.
 */
final class PostgresRestarts implements AutoCloseable {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private final PostgresServer server;
    private ServerProcess restarted;
    private int restarts;

    PostgresRestarts(PostgresServer server) {
        this.server = server;
    }

    /** Stops the server with the signal, waits until it is gone, then starts it again and waits until it serves. */
    void restart(String signal, Duration down) {
        Path data = server.folder().resolve("data");
        try {
            List<String> command = command(Files.readString(data.resolve("postmaster.opts")));
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            kill.waitFor();
            Waits.until("the postmaster " + pid + " to exit after SIG" + signal, Duration.ofSeconds(60),
                    () -> ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true));
            if (restarted != null) {
                restarted.close();
            }
            FlussoProcess.sleep(down.toMillis());
            Path log = server.folder().resolve("server-" + (++restarts) + ".log");
            Files.deleteIfExists(log);
            Files.createFile(log);
            restarted = ServerProcess.start("postgres restart " + restarts, command, Map.of(), log, "INT");
            Waits.until("PostgreSQL to serve again after SIG" + signal, Duration.ofSeconds(60), () -> {
                try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"))) {
                    return connection.isValid(2);
                } catch (SQLException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart " + server, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code postmaster.opts}: the binary, then every argument in double quotes. */
    private static List<String> command(String opts) {
        List<String> command = new ArrayList<>();
        String line = opts.strip();
        int firstQuote = line.indexOf('"');
        command.add(line.substring(0, firstQuote).strip());
        Matcher matcher = QUOTED.matcher(line.substring(firstQuote));
        while (matcher.find()) {
            command.add(matcher.group(1));
        }
        return command;
    }

    @Override
    public void close() {
        if (restarted != null) {
            restarted.close();
        }
        server.stopAndRemove();
    }
}
