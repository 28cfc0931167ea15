package dev.flusso.testing.opensearch;

import dev.flusso.testing.process.Unprivileged;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The integ-test distribution of one OpenSearch version: taken from the local Maven repository, fetched there with
 * {@code mvn dependency:get} when missing, and unpacked once into a cache folder.
 */
final class OpenSearchDistribution {

    private static final String GROUP_PATH = "org/opensearch/distribution/integ-test-zip/opensearch";

    private OpenSearchDistribution() {
    }

    /**
     * {@return the server's home folder, unpacked under {@code cache} and owned by the unprivileged user}
     *
     * @param version such as {@code 2.19.6}
     * @param cache where unpacked distributions are kept
     */
    static synchronized Path home(String version, Path cache) {
        Path home = cache.resolve("opensearch-" + version);
        if (Files.isRegularFile(home.resolve("bin/opensearch"))) {
            if (!Files.isDirectory(home.resolve("modules").resolve(ANALYSIS))) {
                try {
                    addAnalysisModule(version, home);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot add the " + ANALYSIS + " module to " + home, e);
                }
                Unprivileged.own(home);
            }
            return home;
        }
        Path zip = zip(version);
        Path partial = cache.resolve("opensearch-" + version + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(cache);
            unzip(zip, partial);
            // The zip holds one top-level folder, opensearch-<version>; the rename makes the unpacking atomic.
            addAnalysisModule(version, partial.resolve("opensearch-" + version));
            Files.move(partial.resolve("opensearch-" + version), home, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + home, e);
        }
        Unprivileged.own(home);
        return home;
    }

    private static final String ANALYSIS = "analysis-common";

    /**
     * Adds the analysis-common module, which every full distribution has and the integ-test one leaves out: without
     * it an index whose settings name its filters ({@code word_delimiter_graph}, as Flusso's derived analysis does) is
     * refused. Its jar is on Maven Central; the descriptor is written like the bundled modules' own, without the
     * painless extension the integ-test server does not have either.
     */
    private static void addAnalysisModule(String version, Path home) throws IOException {
        String coordinates = "org.opensearch.plugin:" + ANALYSIS + ":" + version;
        Path jar = localRepository().resolve("org/opensearch/plugin/" + ANALYSIS).resolve(version)
                .resolve(ANALYSIS + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            get(coordinates, "the " + ANALYSIS + " module of OpenSearch " + version);
        }
        Path module = home.resolve("modules").resolve(ANALYSIS);
        Files.createDirectories(module);
        Files.copy(jar, module.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        String javaVersion = "11";
        Path netty = home.resolve("modules/transport-netty4/plugin-descriptor.properties");
        if (Files.isRegularFile(netty)) {
            for (String line : Files.readAllLines(netty)) {
                if (line.startsWith("java.version=")) {
                    javaVersion = line.substring("java.version=".length()).trim();
                }
            }
        }
        // The plugin class was renamed in 3.x (CommonAnalysisModulePlugin): take whichever the jar holds.
        String classname = null;
        try (ZipFile file = new ZipFile(jar.toFile())) {
            for (String candidate : List.of("CommonAnalysisModulePlugin", "CommonAnalysisPlugin")) {
                if (classname == null && file.getEntry("org/opensearch/analysis/common/" + candidate + ".class") != null) {
                    classname = "org.opensearch.analysis.common." + candidate;
                }
            }
        }
        if (classname == null) {
            throw new IOException("no analysis plugin class in " + jar);
        }
        Files.writeString(module.resolve("plugin-descriptor.properties"), String.join("\n",
                "description=Adds analysis components to OpenSearch", "version=" + version, "name=" + ANALYSIS,
                "classname=" + classname, "java.version=" + javaVersion,
                "opensearch.version=" + version, "custom.foldername=", "extended.plugins=", "has.native.controller=false", ""));
    }

    private static Path zip(String version) {
        Path zip = localRepository().resolve(GROUP_PATH).resolve(version).resolve("opensearch-" + version + ".zip");
        if (!Files.isRegularFile(zip)) {
            fetch(version);
        }
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("OpenSearch " + version + " is not at " + zip + " even after mvn dependency:get");
        }
        return zip;
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void fetch(String version) {
        get("org.opensearch.distribution.integ-test-zip:opensearch:" + version + ":zip", "OpenSearch " + version);
    }

    private static void get(String artifact, String what) {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "dependency:get", "-Dtransitive=false",
                "-Dartifact=" + artifact));
        if (System.getProperty("maven.repo.local") != null) {
            command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("cannot fetch " + what + " with " + String.join(" ", command)
                        + ":\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mvn to fetch " + what + " (is Maven on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted fetching " + what, e);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry " + entry.getName() + " points outside " + target);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                // java.util.zip drops Unix modes: the launch scripts and any native tools live in bin folders.
                if (out.getParent().getFileName().toString().equals("bin")) {
                    out.toFile().setExecutable(true, false);
                }
            }
        }
    }

    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
