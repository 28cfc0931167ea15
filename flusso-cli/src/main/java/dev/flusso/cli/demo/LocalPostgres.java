package dev.flusso.cli.demo;

import dev.flusso.api.FlussoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the demo: made with the installed server programs in a temporary folder,
 * listening on 127.0.0.1 and a free port with {@code wal_level = logical}, removed on {@link #close()}. PostgreSQL
 * refuses to run as root, so when the demo runs as root the cluster runs as the system user {@value #USER}.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The user the cluster runs as when the demo runs as root; also the cluster's superuser. */
    public static final String USER = "flusso";

    private static final String INSTALL = "apt-get install -y postgresql";

    private final Path bin;
    private final Path folder;
    private final int port;
    private final boolean root;

    private LocalPostgres(Path bin, Path folder, int port, boolean root) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
        this.root = root;
    }

    /**
     * Starts a new cluster, installing Debian's {@code postgresql} package first when the server programs are
     * missing and this process may (root, with apt-get).
     *
     * @param progress told what happens, in a line each
     * @return the running cluster
     */
    public static LocalPostgres start(Consumer<String> progress) {
        boolean root = "0".equals(output(List.of("id", "-u")).orElse("").trim());
        Path bin = serverPrograms().orElseGet(() -> install(root, progress));
        try {
            Path folder = Files.createTempDirectory("flusso-demo-postgres-");
            LocalPostgres server = new LocalPostgres(bin, folder, freePort(), root);
            server.initAndStart(progress);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the demo's PostgreSQL", e);
        }
    }

    private void initAndStart(Consumer<String> progress) {
        Path data = folder.resolve("data");
        if (root) {
            ensureUser();
            run(List.of("chown", "-R", USER + ":" + USER, folder.toString()), false);
        }
        progress.accept("starting a throwaway PostgreSQL (" + bin + ") in " + folder + " on 127.0.0.1:" + port
                + (root ? ", as user " + USER : ""));
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync"), root);
        String options = String.join(" ", "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + folder, "-c", "wal_level=logical", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10");
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "flusso-demo-postgres-stop"));
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", folder.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", options, "start"), root);
    }

    /** {@return the connection URL of a database of this cluster, as flusso.toml takes it} */
    public String url(String database) {
        return "postgres://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    /** {@return the JDBC URL of a database of this cluster} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /** Stops the cluster at once and removes its folder; idempotent. */
    @Override
    public synchronized void close() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), root);
        } catch (FlussoException e) {
            // not running (it failed to start, or was stopped from outside): the folder still goes
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: the folder is in the temporary directory
        }
    }

    @Override
    public String toString() {
        return "the demo's PostgreSQL on 127.0.0.1:" + port;
    }

    /** {@code pg_config --bindir} first; Debian's versioned folders, newest first, when pg_config is missing. */
    private static Optional<Path> serverPrograms() {
        List<Path> candidates = new ArrayList<>();
        output(List.of("pg_config", "--bindir")).map(String::trim).map(Path::of).ifPresent(candidates::add);
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.map(version -> version.resolve("bin"))
                    .sorted(Comparator.comparing((Path p) -> numeric(p.getParent().getFileName().toString())).reversed())
                    .forEach(candidates::add);
        } catch (IOException e) {
            // no Debian server package
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    private static int numeric(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Path install(boolean root, Consumer<String> progress) {
        if (!root || output(List.of("apt-get", "--version")).isEmpty()) {
            throw new FlussoException("PostgreSQL's server programs (initdb, pg_ctl) are not installed, and the demo needs"
                    + " them; install them with: sudo " + INSTALL);
        }
        progress.accept("PostgreSQL's server programs are missing: installing Debian's postgresql package (" + INSTALL + ")");
        run(List.of("apt-get", "update", "-q"), false);
        run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"), false);
        return serverPrograms().orElseThrow(() -> new FlussoException(
                "installed Debian's postgresql package but found no initdb and pg_ctl under /usr/lib/postgresql"));
    }

    private static void ensureUser() {
        if (output(List.of("id", "-u", USER)).isEmpty()) {
            run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", USER), false);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs a program to completion (as {@value #USER} when asked), failing with its output. */
    private static void run(List<String> command, boolean asUser) {
        List<String> full = new ArrayList<>();
        if (asUser) {
            String uid = output(List.of("id", "-u", USER)).orElseThrow().trim();
            String gid = output(List.of("id", "-g", USER)).orElseThrow().trim();
            full.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--reset-env"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new FlussoException(String.join(" ", command) + " failed:\n" + out.strip());
            }
        } catch (IOException e) {
            throw new FlussoException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlussoException("interrupted running " + command.get(0), e);
        }
    }

    private static Optional<String> output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
