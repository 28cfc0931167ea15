package dev.flusso.testing.postgres;

import dev.flusso.testing.process.Unprivileged;
import java.io.File;
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

    private static Path bindir;

    private Binaries() {
    }

    /**
     * {@return the folder of {@code initdb} and {@code postgres}, from {@code pg_config --bindir}} On a fresh Debian
     * machine, where the tests run as root, Debian's {@code postgresql} package is installed first, so that
     * {@code mvn verify} needs no step of its own before it.
     */
    static synchronized Path folder() {
        String problem = problem();
        if (problem != null && Unprivileged.isRoot() && onPath("apt-get")) {
            install();
            problem = problem();
        }
        if (problem != null) {
            throw new IllegalStateException(problem + ": " + INSTALL);
        }
        return bindir;
    }

    /** {@return what is missing, or {@code null} when {@link #bindir} holds the server programs} */
    private static String problem() {
        if (!onPath("pg_config")) {
            return "no pg_config found";
        }
        String out = output(List.of("pg_config", "--bindir"));
        Path bin = Path.of(out.trim());
        // Debian's libpq-dev alone ships pg_config without the server: say so rather than fail later.
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("postgres"))) {
            return "no initdb and postgres in '" + bin + "' (pg_config --bindir)";
        }
        bindir = bin;
        return null;
    }

    private static void install() {
        System.err.println("PostgreSQL's server programs are missing: installing Debian's postgresql package");
        // As root, not through Unprivileged: only root may install.
        output(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-q"));
        output(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "postgresql"));
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    /** Runs a server program to completion, as the unprivileged user when root; fails with its output. */
    static void run(List<String> command) {
        output(Unprivileged.command(command));
    }
}
