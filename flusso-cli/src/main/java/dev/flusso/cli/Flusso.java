package dev.flusso.cli;

import dev.flusso.api.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flusso} command and its exit codes. */
@Command(name = "flusso", mixinStandardHelpOptions = true, versionProvider = Flusso.Version.class,
        description = "Keeps search indexes in sync with PostgreSQL.",
        subcommands = {DemoCommand.class, RunCommand.class, BuildCommand.class, CheckCommand.class, StatusCommand.class, ReindexCommand.class,
            DeadLettersCommand.class,
            PluginsCommand.class,
            CommandLine.HelpCommand.class})
public final class Flusso {

    /** The run failed. */
    public static final int EXIT_FAILURE = 1;
    /** The command line was wrong (picocli's own code). */
    public static final int EXIT_USAGE = 2;
    /** A configuration file, setting or provider name was wrong. */
    public static final int EXIT_CONFIG = 3;
    /** The source failed: the database, its change capture, or building documents from it. */
    public static final int EXIT_SOURCE = 4;
    /** The sink failed: the search engine refused or could not be reached. */
    public static final int EXIT_SINK = 5;
    /** The queue between capture and workers failed. */
    public static final int EXIT_QUEUE = 6;

    public static void main(String[] args) {
        LogSetup.apply();
        System.exit(run(args));
    }

    /** {@return the exit code of running the command line} */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** {@return the command line, with failures reported in one line and mapped to exit codes} */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Flusso());
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("flusso: " + e.getMessage());
            return exitCode(e);
        });
        return line;
    }

    /** {@return the exit code for a failure: a configuration error first, then the edge that failed} */
    static int exitCode(Exception e) {
        if (e instanceof ConfigurationException || e.getCause() instanceof ConfigurationException) {
            return EXIT_CONFIG;
        }
        if (e instanceof EdgeFailure failure) {
            return switch (failure.edge()) {
                case "capture", "builder" -> EXIT_SOURCE;
                case "sink" -> EXIT_SINK;
                case "queue" -> EXIT_QUEUE;
                default -> EXIT_FAILURE;
            };
        }
        return EXIT_FAILURE;
    }

    /** A run that failed in one edge: its message names the edge, and its exit code depends on it. */
    static final class EdgeFailure extends RuntimeException {
        private final String edge;

        EdgeFailure(String edge, RuntimeException cause) {
            super(edge + " failed: " + cause.getMessage(), cause);
            this.edge = edge;
        }

        String edge() {
            return edge;
        }
    }

    /** The version from the module descriptor, which Maven stamps with the project version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Flusso.class.getModule().getDescriptor() == null ? null
                    : Flusso.class.getModule().getDescriptor().rawVersion().orElse(null);
            return new String[] {"flusso " + (version == null ? "(development build)" : version)};
        }
    }
}
