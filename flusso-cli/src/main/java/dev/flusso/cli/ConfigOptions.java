package dev.flusso.cli;

import dev.flusso.api.ConfigurationException;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.LockFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command reads its deployment: a {@code flusso.toml} with its schemas, or a compiled lock file. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, defaultValue = "${env:FLUSSO_CONFIG:-flusso.toml}",
            description = "The deployment file (env FLUSSO_CONFIG; default ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--lock", defaultValue = "${env:FLUSSO_LOCK}",
            description = "A lock file from 'flusso build', used instead of the deployment file (env FLUSSO_LOCK).")
    Path lock;

    /** {@return the deployment, validated} @throws ConfigurationException naming every problem found */
    Deployment load() {
        if (lock != null) {
            requireFile(lock, "lock file");
            return LockFile.read(lock);
        }
        requireFile(config, "deployment file");
        return Deployment.load(config);
    }

    /** {@return the file the deployment is read from, for messages} */
    Path source() {
        return lock != null ? lock : config;
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException(what + " '" + file + "' does not exist"
                    + (what.startsWith("deployment") ? "; pass -c PATH or set FLUSSO_CONFIG" : ""));
        }
    }
}
