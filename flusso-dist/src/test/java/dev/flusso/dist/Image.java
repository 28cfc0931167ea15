package dev.flusso.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The runtime image that {@code mvn package} built, and its {@code bin/flusso} run as a user runs it. */
final class Image {

    static final Path HOME = Path.of(required("flusso.dist.image"));
    static final Path MODULES = Path.of(required("flusso.dist.modules"));
    static final String VERSION = required("flusso.dist.version");

    private Image() {
    }

    /** What a finished command printed. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /**
     * Runs {@code bin/flusso} with an environment that has no JDK: no {@code JAVA_HOME}, and a {@code PATH} of the
     * system's folders only.
     */
    static Result flusso(Path dir, Map<String, String> env, String... args) {
        Process process = start(dir, env, args);
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("bin/flusso " + String.join(" ", args) + " did not finish in 2 minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return result(dir, process.exitValue());
    }

    /** Starts {@code bin/flusso} in the background, its output going to {@code dir/stdout.txt} and {@code dir/stderr.txt}. */
    static Process start(Path dir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin").resolve("flusso").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().remove("FLUSSO_PLUGINS");
        builder.environment().remove("FLUSSO_JAVA_OPTS");
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    static Result result(Path dir, int exitCode) {
        return new Result(exitCode, read(dir.resolve("stdout.txt")), read(dir.resolve("stderr.txt")));
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Duration minutes(int minutes) {
        return Duration.ofMinutes(minutes);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run these tests with mvn verify");
        }
        return value;
    }
}
