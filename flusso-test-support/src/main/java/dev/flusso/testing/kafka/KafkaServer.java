package dev.flusso.testing.kafka;

import dev.flusso.testing.process.FreePorts;
import dev.flusso.testing.process.ServerProcess;
import dev.flusso.testing.process.Unprivileged;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A single-node Kafka for tests: one KRaft process that is both broker and controller, started as
 * {@link Unprivileged#USER} on free ports of 127.0.0.1.
 *
 * <p>{@link #shared()} starts one per test JVM, of the version named by the system property
 * {@value #VERSION_PROPERTY} (default {@value #DEFAULT_VERSION}); it stops when the JVM exits, also when tests fail or
 * the JVM is killed. The broker runs on the JDK named by {@value #JAVA_PROPERTY}, else the test JVM's own (Kafka 4
 * brokers need Java 17 or newer).
 *
 * <p>The jars are gathered under {@code target/kafka} of the calling module (or the folder named by
 * {@value #DIR_PROPERTY}); each server gets a fresh, formatted data folder there. {@link #stop()} and
 * {@link #start()} restart it on the same ports with the same data, for tests of a broker that goes away.
 */
public final class KafkaServer {

    public static final String VERSION_PROPERTY = "flusso.kafka.version";
    public static final String JAVA_PROPERTY = "flusso.kafka.java";
    public static final String DIR_PROPERTY = "flusso.kafka.dir";
    public static final String DEFAULT_VERSION = "4.4.0";

    private static KafkaServer shared;

    private final String version;
    private final Path libs;
    private final Path run;
    private final int port;
    private final int controllerPort;
    private ServerProcess process;

    private KafkaServer(String version, Path cache) {
        this.version = version;
        this.libs = KafkaDistribution.libs(version, cache);
        this.run = cache.resolve("run-" + version + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        this.port = FreePorts.pick();
        this.controllerPort = FreePorts.pick();
    }

    /** {@return the broker shared by every test of this JVM, started on first use} */
    public static synchronized KafkaServer shared() {
        if (shared == null) {
            shared = create(configuredVersion());
        }
        if (!shared.isRunning()) {
            shared.start();
        }
        return shared;
    }

    /** {@return a new broker of the given version, not started yet} Stop it when done. */
    public static KafkaServer create(String version) {
        String dir = System.getProperty(DIR_PROPERTY);
        Path cache = dir == null || dir.isBlank() ? Path.of("target", "kafka") : Path.of(dir);
        return new KafkaServer(version, cache.toAbsolutePath());
    }

    /** {@return the version {@link #shared()} starts: {@value #VERSION_PROPERTY}, or {@value #DEFAULT_VERSION}} */
    public static String configuredVersion() {
        String version = System.getProperty(VERSION_PROPERTY);
        return version == null || version.isBlank() ? DEFAULT_VERSION : version.trim();
    }

    /** Starts the broker, or starts it again with the same ports and data, and waits until it listens. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        Path properties = run.resolve("server.properties");
        if (!Files.isRegularFile(properties)) {
            prepare(properties);
        }
        process = ServerProcess.start("Kafka " + version, java("kafka.Kafka", properties.toString()), Map.of(),
                run.resolve("server.log"), "TERM");
        awaitReady();
    }

    /** Stops the broker and waits for it to exit; its data stays for {@link #start()}. Idempotent. */
    public synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** {@return whether the broker process runs} */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@return the address clients bootstrap from, such as {@code 127.0.0.1:40123}} */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** {@return the client port} */
    public int port() {
        return port;
    }

    /** {@return the broker's version, such as {@code 4.4.0}} */
    public String version() {
        return version;
    }

    private void prepare(Path properties) {
        try {
            Files.createDirectories(run.resolve("data"));
            Files.writeString(properties, serverProperties(), StandardCharsets.UTF_8);
            Files.writeString(run.resolve("log4j2.properties"), String.join("\n",
                    "appender.out.type=Console",
                    "appender.out.name=out",
                    "appender.out.layout.type=PatternLayout",
                    "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                    "rootLogger.level=INFO",
                    "rootLogger.appenderRef.out.ref=out",
                    // Per-request and state-change chatter drowns what matters when a test fails.
                    "logger.request.name=kafka.request.logger",
                    "logger.request.level=WARN",
                    "logger.state.name=state.change.logger",
                    "logger.state.level=WARN",
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + run, e);
        }
        Unprivileged.own(run);
        // KRaft needs its log folder formatted with a cluster id before the first start.
        List<String> format = java("kafka.tools.StorageTool", "format", "--cluster-id", clusterId(), "--config",
                properties.toString(), "--ignore-formatted");
        try {
            Process formatting = new ProcessBuilder(Unprivileged.command(format)).redirectErrorStream(true).start();
            String output = new String(formatting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (formatting.waitFor() != 0) {
                throw new IllegalStateException("formatting the Kafka " + version + " storage in " + run + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the Kafka storage tool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted formatting the Kafka storage", e);
        }
    }

    private String serverProperties() {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + run.resolve("data"),
                "auto.create.topics.enable=false",
                "num.partitions=1",
                // One node: every internal topic has one replica, and few partitions so that it starts quickly.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // Tests start and stop consumers often: rebalance at once rather than after the default 3 s.
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private List<String> java(String mainClass, String... arguments) {
        StringBuilder line = new StringBuilder("cd '" + run + "' && exec '" + javaHome() + "/bin/java'"
                + " -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true"
                + " -Dlog4j2.configurationFile='" + run.resolve("log4j2.properties") + "'"
                + " -cp '" + libs + "/*' " + mainClass);
        for (String argument : arguments) {
            line.append(" '").append(argument).append("'");
        }
        return List.of("sh", "-c", line.toString());
    }

    private static String javaHome() {
        String configured = System.getProperty(JAVA_PROPERTY);
        return configured != null && !configured.isBlank() ? configured : System.getProperty("java.home");
    }

    /** A random id in Kafka's form; never one starting with '-', which the storage tool reads as an option. */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] uuid = new byte[16];
        String id;
        do {
            random.nextBytes(uuid);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
        } while (id.startsWith("-"));
        return id;
    }

    private void awaitReady() {
        ServerProcess started = process;
        Path log = run.resolve("server.log");
        Waits.until("Kafka " + version + " to serve on port " + port, Duration.ofSeconds(120), () -> {
            if (!started.isAlive()) {
                throw new AssertionError("Kafka " + version + " exited while starting; its log ends:\n" + started.logTail(40));
            }
            // The log starts afresh with each start; the line comes once the broker has caught up with its metadata.
            if (!logSays(log, "Kafka Server started")) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static boolean logSays(Path log, String line) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(line);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "Kafka " + version + " at " + bootstrapServers();
    }
}
