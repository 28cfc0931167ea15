package dev.flusso.cli;

import dev.flusso.schema.Deployment;
import dev.flusso.schema.LockFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flusso build}: compiles the deployment file and its schemas into a portable lock file. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Validates flusso.toml and its schemas and compiles them into a lock file that 'run' can load"
                + " without the sources. Secrets stay { env = ... } references.")
final class BuildCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = {"-o", "--out"}, defaultValue = "${env:FLUSSO_OUT:-flusso.lock}",
            description = "Where to write the lock file (env FLUSSO_OUT; default ${DEFAULT-VALUE}).")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Deployment deployment = config.load();
        LockFile.write(deployment, output);
        spec.commandLine().getOut().printf("wrote %s: %d index(es): %s%n", output, deployment.indexes().size(),
                deployment.indexes().stream().map(i -> i.name() + (i.enabled() ? "" : " (disabled)") + " " + i.fingerprint().substring(0, 12))
                        .collect(Collectors.joining(", ")));
        spec.commandLine().getOut().flush();
        return 0;
    }

}
