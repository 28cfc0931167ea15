package dev.flusso.testing.opensearch;

import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.ServerProcess;
import dev.flusso.testing.process.Unprivileged;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A single-node OpenSearch for tests, started as {@link Unprivileged#USER} (it refuses root) on free ports.
 *
 * <p>{@link #shared()} starts one per test JVM, of the version named by the system property
 * {@value #VERSION_PROPERTY} (default {@value #DEFAULT_VERSION}); it stops when the JVM exits, also when tests fail.
 * The 3.x line needs Java 21 or newer and runs on the JDK named by {@value #JAVA_PROPERTY}, else the test JVM's own
 * when new enough, else {@value #JDK25}. The 2.x line uses the security manager, which JDK 24 removed: it runs on
 * the test JVM's JDK when that is 11 to 23, else on {@value #JDK17}.
 *
 * <p>The distribution is unpacked under {@code target/opensearch} of the calling module (or the folder named by
 * {@value #DIR_PROPERTY}); each server gets fresh data and log folders there. {@link #stop()} and {@link #start()}
 * restart it on the same port with the same data, for tests of a destination that goes away.
 */
public final class OpenSearchServer {

    public static final String VERSION_PROPERTY = "flusso.opensearch.version";
    public static final String JAVA_PROPERTY = "flusso.opensearch.java";
    public static final String DIR_PROPERTY = "flusso.opensearch.dir";
    public static final String DEFAULT_VERSION = "2.19.6";
    static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
    static final String JDK17 = "/usr/lib/jvm/java-17-openjdk-amd64";

    private static OpenSearchServer shared;

    private final String version;
    private final Path home;
    private final Path run;
    private final int port;
    private final int transportPort;
    private final OpenSearchHttp http;
    private ServerProcess process;

    private OpenSearchServer(String version, Path cache) {
        this.version = version;
        this.home = OpenSearchDistribution.home(version, cache);
        this.run = cache.resolve("run-" + version + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        this.port = FreePorts.pick();
        this.transportPort = FreePorts.pick();
        this.http = new OpenSearchHttp(url());
    }

    /** {@return the server shared by every test of this JVM, started on first use} */
    public static synchronized OpenSearchServer shared() {
        if (shared == null) {
            shared = create(configuredVersion());
        }
        if (!shared.isRunning()) {
            shared.start();
        }
        return shared;
    }

    /** {@return a new server of the given version, not started yet} Stop it when done. */
    public static OpenSearchServer create(String version) {
        String dir = System.getProperty(DIR_PROPERTY);
        Path cache = dir == null || dir.isBlank() ? Path.of("target", "opensearch") : Path.of(dir);
        return new OpenSearchServer(version, cache.toAbsolutePath());
    }

    /** {@return the version {@link #shared()} starts: {@value #VERSION_PROPERTY}, or {@value #DEFAULT_VERSION}} */
    public static String configuredVersion() {
        String version = System.getProperty(VERSION_PROPERTY);
        return version == null || version.isBlank() ? DEFAULT_VERSION : version.trim();
    }

    /** Starts the server, or starts it again with the same port and data, and waits until it serves. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            Files.createDirectories(run.resolve("data"));
            Files.createDirectories(run.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + run, e);
        }
        Unprivileged.own(run);
        process = ServerProcess.start("OpenSearch " + version, command(), Map.of(), run.resolve("server.log"), "TERM");
        awaitReady();
    }

    /** Stops the server and waits for it to exit; its data stays for {@link #start()}. Idempotent. */
    public synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** {@return whether the server process runs} */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@return the HTTP address, such as {@code http://127.0.0.1:40123}} */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** {@return the HTTP port} */
    public int port() {
        return port;
    }

    /** {@return the server's version, such as {@code 2.19.6}} */
    public String version() {
        return version;
    }

    /** {@return the major version: 2 or 3} */
    public int majorVersion() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    /** {@return the folder under which file-system snapshot repositories may be registered ({@code path.repo})} */
    public Path snapshots() {
        return run.resolve("snapshots");
    }

    /** {@return a JSON-over-HTTP helper for this server} */
    public OpenSearchHttp http() {
        return http;
    }

    private List<String> command() {
        // setpriv resets the environment, so the variables travel inside the command line; the working folder
        // matters because the stock jvm.options write GC logs and heap dumps to relative paths.
        String launch = "cd '" + run + "' && exec env"
                + " OPENSEARCH_JAVA_HOME='" + javaHome() + "'"
                + " OPENSEARCH_JAVA_OPTS='-Xms512m -Xmx512m'"
                + " '" + home.resolve("bin/opensearch") + "'";
        List<String> settings = new ArrayList<>(List.of(
                "discovery.type=single-node",
                "cluster.name=flusso-test",
                "network.host=127.0.0.1",
                "http.port=" + port,
                "transport.port=" + transportPort,
                "path.data=" + run.resolve("data"),
                "path.logs=" + run.resolve("logs"),
                // Where tests may register file-system snapshot repositories, to back up and restore a destination.
                "path.repo=" + snapshots(),
                // Shared build machines fill their disks; the watermarks would turn indexes read-only.
                "cluster.routing.allocation.disk.threshold_enabled=false"));
        StringBuilder line = new StringBuilder(launch);
        for (String setting : settings) {
            line.append(" '-E").append(setting).append("'");
        }
        return List.of("sh", "-c", line.toString());
    }

    String javaHome() {
        String configured = System.getProperty(JAVA_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        int own = Runtime.version().feature();
        if (majorVersion() >= 3) {
            return own >= 21 ? System.getProperty("java.home") : JDK25;
        }
        return own >= 11 && own <= 23 ? System.getProperty("java.home") : JDK17;
    }

    private void awaitReady() {
        ServerProcess started = process;
        Waits.until("OpenSearch " + version + " to serve on port " + port, Duration.ofSeconds(180), () -> {
            if (!started.isAlive()) {
                throw new AssertionError("OpenSearch " + version + " exited while starting; its log ends:\n"
                        + started.logTail(40));
            }
            return http.get("/_cluster/health?wait_for_status=yellow&timeout=1s").ok();
        });
    }

    @Override
    public String toString() {
        return "OpenSearch " + version + " at " + url();
    }
}
