package dev.flusso.testing.postgres;

import dev.flusso.testing.process.Unprivileged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds and runs the installed PostgreSQL server programs. */
final class Binaries {

    private static final String INSTALL = "install Debian's PostgreSQL server (apt-get install -y postgresql)"
            + " or put pg_config of an installed server on the PATH";

    private Binaries() {
    }

    /** {@return the folder of {@code initdb} and {@code postgres}, from {@code pg_config --bindir}} */
    static Path folder() {
        String out;
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("pg_config --bindir failed (" + out + "): " + INSTALL);
            }
        } catch (IOException e) {
            throw new IllegalStateException("no pg_config found: " + INSTALL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running pg_config", e);
        }
        Path bin = Path.of(out);
        // Debian's libpq-dev alone ships pg_config without the server: say so rather than fail later.
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("postgres"))) {
            throw new IllegalStateException("no initdb and postgres in '" + bin + "' (pg_config --bindir): " + INSTALL);
        }
        return bin;
    }

    /** Runs a server program to completion, as the unprivileged user when root; fails with its output. */
    static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(Unprivileged.command(command)).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }
}
