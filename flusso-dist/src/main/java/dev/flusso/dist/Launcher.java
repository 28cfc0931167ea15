package dev.flusso.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code bin/flusso}'s main class when the command itself depends on an automatic module (the Prometheus client,
 * say) and so cannot be linked.
 *
 * <ol>
 *   <li>Finds the installation: the {@code flusso.home} system property that {@code bin/flusso} sets, else the
 *       runtime image it runs in.</li>
 *   <li>Resolves every module jar in {@code lib/app/} (the command and the unlinkable modules it needs) over the boot
 *       layer and defines them with one class loader, as a module path would: one layer, automatic modules
 *       allowed.</li>
 *   <li>Exports the main class's package to this module (the command exports nothing), makes the layer's loader
 *       the thread's context loader, and calls {@code main}. The command then adds {@code lib/backends/} and
 *       {@code plugins/} as child layers of its own layer when it looks up providers.</li>
 * </ol>
 *
 * <p>Exit code 1 with one line on standard error if the installation is damaged (a jar missing or unreadable).
 */
public final class Launcher {

    /** The installation folder. */
    public static final String HOME_PROPERTY = "flusso.home";
    /** The command's main class, as {@code module/class}. */
    public static final String MAIN_PROPERTY = "flusso.main";

    private static final String DEFAULT_MAIN = "dev.flusso.cli/dev.flusso.cli.Flusso";

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        Path home = home();
        String[] main = System.getProperty(MAIN_PROPERTY, DEFAULT_MAIN).split("/", 2);
        Method entry;
        try {
            entry = entry(home.resolve("lib").resolve("app"), main[0], main[1]);
        } catch (FindException | ResolutionException | LayerInstantiationException | ReflectiveOperationException
                | UncheckedIOException e) {
            System.err.println("flusso: cannot start: the installation in " + home + " is damaged (" + causes(e)
                    + "); reinstall Flusso");
            System.exit(1);
            return;
        }
        try {
            entry.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Method entry(Path folder, String moduleName, String className) throws ReflectiveOperationException {
        ModuleLayer boot = ModuleLayer.boot();
        ModuleFinder finder = ModuleFinder.of(jars(folder));
        Set<String> names = finder.findAll().stream().map(ModuleReference::descriptor).map(d -> d.name())
                .collect(Collectors.toSet());
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), names);
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(configuration, List.of(boot),
                ClassLoader.getSystemClassLoader());
        ModuleLayer layer = controller.layer();
        Module module = layer.findModule(moduleName).orElseThrow(() -> new FindException("module " + moduleName
                + " is not in " + folder));
        String packageName = className.substring(0, className.lastIndexOf('.'));
        controller.addExports(module, packageName, Launcher.class.getModule());
        Class<?> type = Class.forName(module, className);
        if (type == null) {
            throw new ClassNotFoundException(className + " in module " + moduleName);
        }
        Thread.currentThread().setContextClassLoader(module.getClassLoader());
        return type.getMethod("main", String[].class);
    }

    /** {@return the installation}, also set as {@code flusso.home} for the command, which finds its plugins there */
    private static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            home = System.getProperty("java.home");
            System.setProperty(HOME_PROPERTY, home);
        }
        return Path.of(home);
    }

    private static Path[] jars(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toArray(Path[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String causes(Throwable e) {
        return Stream.iterate(e, t -> t != null, Throwable::getCause).map(Throwable::getMessage)
                .filter(m -> m != null).distinct().collect(Collectors.joining(": "));
    }
}
