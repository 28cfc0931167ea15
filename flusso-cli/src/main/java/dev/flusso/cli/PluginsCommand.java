package dev.flusso.cli;

import dev.flusso.core.ProviderInfo;
import dev.flusso.core.Providers;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flusso plugins}: every provider found, edge by edge, with where it came from. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "Lists the capture, queue, builder and sink providers found, with their module and jar.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Providers providers = Plugins.providers();
        out.printf("%-8s %-12s %-28s %-36s %s%n", "EDGE", "NAME", "MODULE", "JAR", "DESCRIPTION");
        for (ProviderInfo info : providers.list()) {
            out.printf("%-8s %-12s %-28s %-36s %s%n", info.edge(), info.name(), info.module(), jar(info.location()),
                    info.description());
        }
        for (String problem : providers.problems()) {
            out.println("could not load: " + problem);
        }
        out.flush();
        return providers.problems().isEmpty() ? 0 : Flusso.EXIT_FAILURE;
    }

    /** The jar's file name is what a user recognises in {@code plugins/}; a module linked into the image has none. */
    static String jar(String location) {
        if (location.startsWith("jrt:")) {
            return "(runtime image)";
        }
        String path = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
