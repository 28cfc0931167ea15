package dev.flusso.testing.kafka;

import dev.flusso.testing.process.Unprivileged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's jars for one Kafka version: {@code org.apache.kafka:kafka_2.13} and its runtime dependencies, resolved
 * by {@code mvn dependency:build-classpath} on a small generated pom (which fetches them into the local Maven
 * repository when missing) and copied once into a cache folder, because the unprivileged user the broker runs as
 * cannot read the local repository under root's home.
 */
final class KafkaDistribution {

    /** The Log4j line Kafka 4 ships with. */
    private static final String LOG4J_VERSION = "2.25.5";
    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

    private KafkaDistribution() {
    }

    /**
     * {@return the folder holding every jar of the broker, under {@code cache}, owned by the unprivileged user}
     *
     * @param version such as {@code 4.4.0}
     * @param cache where resolved distributions are kept
     */
    static synchronized Path libs(String version, Path cache) {
        Path libs = cache.resolve("kafka-" + version + "-broker-libs");
        if (Files.isRegularFile(libs.resolve("COMPLETE"))) {
            return libs;
        }
        Path partial = cache.resolve("kafka-" + version + "-broker-libs.partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(partial);
            for (Path jar : resolve(version, partial)) {
                Files.copy(jar, partial.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(partial.resolve("COMPLETE"), version + "\n");
            // The rename makes the copy atomic: a concurrent or interrupted run never sees half the jars.
            Files.move(partial, libs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gather the Kafka " + version + " jars into " + libs, e);
        }
        Unprivileged.own(libs);
        return libs;
    }

    private static List<Path> resolve(String version, Path work) throws IOException {
        Path pom = work.resolve("pom.xml");
        Path output = work.resolve("classpath.txt");
        Files.writeString(pom, """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.flusso.testing</groupId>
                  <artifactId>kafka-broker-classpath</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <dependencies>
                    <dependency>
                      <groupId>org.apache.kafka</groupId>
                      <artifactId>kafka_2.13</artifactId>
                      <version>%s</version>
                    </dependency>
                    <dependency>
                      <!-- The broker logs through SLF4J 1.7; this routes it to the Log4j 2 it ships. -->
                      <groupId>org.apache.logging.log4j</groupId>
                      <artifactId>log4j-slf4j-impl</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                </project>
                """.formatted(version, LOG4J_VERSION));
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-f", pom.toString(),
                DEPENDENCY_PLUGIN + ":build-classpath", "-Dmdep.includeScope=runtime", "-Dmdep.outputFile=" + output));
        if (System.getProperty("maven.repo.local") != null) {
            command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0 || !Files.isRegularFile(output)) {
                throw new IllegalStateException("cannot resolve the Kafka " + version + " broker with "
                        + String.join(" ", command) + ":\n" + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mvn to resolve the Kafka " + version + " broker (is Maven on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted resolving the Kafka " + version + " broker", e);
        }
        List<Path> jars = new ArrayList<>();
        for (String entry : Files.readString(output).trim().split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                jars.add(Path.of(entry.trim()));
            }
        }
        Files.delete(pom);
        Files.delete(output);
        return jars;
    }
}
