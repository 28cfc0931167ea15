package dev.flusso.testing.postgres;

import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.ServerProcess;
import dev.flusso.testing.process.Unprivileged;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster, started from the installed server binaries ({@code pg_config --bindir}) into a
 * temporary folder on a free port, with logical replication enabled. It runs as {@link Unprivileged#USER} when the
 * tests run as root, stops when the test JVM exits (also when it is killed), and its folder is removed then.
 *
 * <p>Tests share one cluster per JVM ({@link #shared()}) and take a database each ({@link #createDatabase()}). A
 * test that needs other server settings ({@link #start(Map)}) or TLS ({@link #startWithTls(Map)}) starts a cluster of
 * its own, which takes about two seconds.
 */
public final class PostgresServer {

    /** The superuser of the cluster; authentication is {@code trust} on 127.0.0.1 only. */
    public static final String USER = "postgres";

    private static PostgresServer shared;

    private final Path folder;
    private final int port;
    private final ServerProcess process;
    private final Path rootCertificate;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path folder, int port, ServerProcess process, Path rootCertificate) {
        this.folder = folder;
        this.port = port;
        this.process = process;
        this.rootCertificate = rootCertificate;
    }

    /** {@return the cluster of this test JVM, started on first use} */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /**
     * Starts a new cluster. Most tests want {@link #shared()}; a test that stops or breaks its server wants its own.
     *
     * @return the running cluster
     */
    public static PostgresServer start() {
        return start(Map.of());
    }

    /**
     * Starts a new cluster of its own with some settings changed, such as {@code wal_level = replica}. It stops, and
     * its folder is removed, when the test JVM exits; a test that is done with it may {@link #stopAndRemove()} it
     * sooner.
     *
     * @param extraSettings server settings ({@code postgres -c key=value}), replacing the harness's own for the same
     *     keys; never {@code null}
     * @return the running cluster
     */
    public static PostgresServer start(Map<String, String> extraSettings) {
        return start(extraSettings, false);
    }

    /**
     * Starts a new cluster of its own that accepts TLS connections only: {@code ssl = on} with a server certificate
     * for {@code 127.0.0.1} and {@code localhost} made now by a root of its own ({@link #rootCertificate()}), and a
     * {@code pg_hba.conf} whose TCP lines, for databases and for replication, are all {@code hostssl}. Connections
     * that do not use TLS are refused. {@link #jdbcUrl} asks for TLS ({@code sslmode=require}, unverified); a test
     * that verifies the certificate passes {@code sslmode=verify-full} and {@code sslrootcert} itself.
     *
     * @param extraSettings as for {@link #start(Map)}; never {@code null}
     * @return the running cluster
     */
    public static PostgresServer startWithTls(Map<String, String> extraSettings) {
        return start(extraSettings, true);
    }

    private static PostgresServer start(Map<String, String> extraSettings, boolean tls) {
        Path bin = Binaries.folder();
        try {
            Path folder = Files.createTempDirectory("flusso-postgres-");
            Path data = folder.resolve("data");
            Unprivileged.own(folder);
            Binaries.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                    "--encoding=UTF8", "--locale=C", "--no-sync"));
            int port = FreePorts.pick();
            List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", Integer.toString(port)));
            Map<String, String> settings = new LinkedHashMap<>(settings(folder));
            Path root = null;
            if (tls) {
                root = Tls.prepare(folder, data, settings);
            }
            settings.putAll(extraSettings);
            settings.forEach((key, value) -> command.addAll(List.of("-c", key + "=" + value)));
            Path log = folder.resolve("server.log");
            Files.createFile(log);
            Unprivileged.own(folder);
            ServerProcess process = ServerProcess.start("postgres on port " + port, command, Map.of(), log, "INT");
            PostgresServer server = new PostgresServer(folder, port, process, root);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndRemove, "remove " + folder));
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a PostgreSQL data folder", e);
        }
    }

    private static Map<String, String> settings(Path folder) {
        // Durability is worthless for a throw-away cluster: skipping it makes DDL-heavy tests much faster.
        return Map.of("listen_addresses", "127.0.0.1", "unix_socket_directories", folder.toString(),
                "wal_level", "logical", "max_replication_slots", "20", "max_wal_senders", "20",
                "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off", "max_connections", "200");
    }

    private void awaitReady() {
        try {
            Waits.until("PostgreSQL to accept connections on port " + port, Duration.ofSeconds(60), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("PostgreSQL exited while starting:\n" + process.logTail(30));
                }
                try (Connection connection = Jdbc.connect(jdbcUrl("postgres"))) {
                    return connection.isValid(2);
                } catch (SQLException e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            process.close();
            throw new AssertionError(e.getMessage() + "\nserver log:\n" + process.logTail(30), e);
        }
    }

    /** {@return a new, empty database of its own, named uniquely} */
    public PostgresDatabase createDatabase() {
        String name = "test_" + databases.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
        try (Connection connection = Jdbc.connect(jdbcUrl("postgres"))) {
            // template0 never changes, so creating from it needs no lock on another database: tests may run in parallel.
            connection.createStatement().execute("CREATE DATABASE \"" + name + "\" TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database '" + name + "' on " + this + ": " + e.getMessage()
                    + "\nserver log:\n" + logTail(20), e);
        }
        return new PostgresDatabase(this, name);
    }

    /** {@return the JDBC URL of a database of this cluster, with the superuser (and {@code sslmode=require} with TLS)} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER
                + (rootCertificate == null ? "" : "&sslmode=require");
    }

    /**
     * {@return the root certificate (PEM) that signed this cluster's server certificate, for {@code sslrootcert};
     * empty unless the cluster was started {@linkplain #startWithTls with TLS}}
     */
    public Optional<Path> rootCertificate() {
        return Optional.ofNullable(rootCertificate);
    }

    /** {@return the port the cluster listens on, on 127.0.0.1} */
    public int port() {
        return port;
    }

    /** {@return the cluster's folder: data, socket and log} */
    public Path folder() {
        return folder;
    }

    /** {@return the last lines of the server log, for failure messages} */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** {@return whether the server runs} */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server and removes its folder; idempotent. */
    public void stopAndRemove() {
        process.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: the folder is in the temporary directory
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " (" + folder + ")";
    }
}
