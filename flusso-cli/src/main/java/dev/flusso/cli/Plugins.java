package dev.flusso.cli;

import dev.flusso.api.FlussoException;
import dev.flusso.core.Providers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the command finds its providers: the modules it runs with, and the module layers built at start from the
 * installation's folders.
 *
 * <ol>
 *   <li>The layer of this module: in the runtime image, the boot layer (every module jlink could link) or, when
 *       this command needs an automatic module, the layer the image's launcher ({@code dev.flusso.dist}) made of
 *       {@code lib/app/}.</li>
 *   <li>{@code lib/backends/} of the installation, a child layer: the built-in backends that depend on automatic
 *       modules (pgjdbc, opensearch-java, httpclient5), which jlink refuses but a layer accepts. Only commands that
 *       look providers up read these jars. A module there that fails to resolve means a damaged installation, and
 *       fails the start.</li>
 *   <li>The plugin folder ({@code plugins/} of the installation), in child layers of the backends' layer: the jars
 *       directly in it form one layer, and each sub-folder its own, so two plugins may bring different versions of
 *       one library. A jar or folder that cannot be loaded is reported and skipped; the others still load.</li>
 * </ol>
 *
 * <p>A plugin jar holding a module Flusso has already (a copy of {@code dev.flusso.api}, say) is ignored with a
 * warning: the layer would read that copy instead of Flusso's, and its providers would implement a different
 * {@code SinkProvider} than the one the engine looks for.
 *
 * <p>The installation is the {@code flusso.home} system property, which {@code bin/flusso} sets, or else the
 * runtime image this module is linked into. The plugin folder is the {@code flusso.plugins} system property, then
 * the {@code FLUSSO_PLUGINS} environment variable, then {@code plugins/} of the installation. On a plain module path
 * with neither, the providers are those of the module path, as before. The layers are built once per process.
 */
final class Plugins {

    /** The installation folder, holding {@code lib/backends/} and {@code plugins/}. */
    static final String HOME_PROPERTY = "flusso.home";
    /** A plugin folder other than the installation's. */
    static final String PLUGINS_PROPERTY = "flusso.plugins";
    static final String PLUGINS_ENV = "FLUSSO_PLUGINS";

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    private static ModuleLayer layers;
    private static boolean built;

    private Plugins() {
    }

    /** {@return the providers of every edge visible to this run} */
    static Providers providers() {
        ModuleLayer layer = layers();
        return layer == null ? Providers.load() : Providers.load(layer);
    }

    /**
     * {@return the providers of a service the command uses itself, such as a JDBC driver, found where the edges'
     * providers are}: {@code DriverManager} would look with this module's class loader, which does not see the
     * backends' layer
     */
    static <S> ServiceLoader<S> services(Class<S> service) {
        ModuleLayer layer = layers();
        return layer == null ? ServiceLoader.load(service) : ServiceLoader.load(layer, service);
    }

    private static synchronized ModuleLayer layers() {
        if (!built) {
            layers = build();
            built = true;
        }
        return layers;
    }

    /** {@return the layer whose service lookup sees every provider, or {@code null} for the modules we run with} */
    private static ModuleLayer build() {
        Optional<Path> home = home();
        Optional<Path> backends = home.map(h -> h.resolve("lib").resolve("backends")).filter(Files::isDirectory);
        Optional<Path> plugins = pluginFolder(home).filter(Files::isDirectory);
        configuredPluginFolder().filter(folder -> !Files.isDirectory(folder))
                .ifPresent(folder -> LOG.warn("plugin folder {} does not exist: no plugin loaded", folder));
        if (backends.isEmpty() && plugins.isEmpty()) {
            return null;
        }
        Module self = Plugins.class.getModule();
        if (!self.isNamed() || self.getLayer() == null) {
            LOG.warn("Flusso runs on a class path: the modules in {} are not loaded; run it on a module path, "
                    + "or with bin/flusso", backends.or(() -> plugins).orElseThrow());
            return null;
        }
        ModuleLayer base = self.getLayer();
        Map<String, ModuleReference> builtIn = backends.map(folder -> accepted(jars(folder), self.getLayer())).orElse(Map.of());
        if (!builtIn.isEmpty()) {
            base = layer(List.of(base), builtIn, backends.get())
                    .orElseThrow(() -> new FlussoException("the built-in backends in " + backends.get()
                            + " cannot be loaded (see the error above): the installation is damaged; reinstall Flusso"));
            useForLibraries(base);
        }
        if (plugins.isEmpty()) {
            return base;
        }
        List<ModuleLayer> pluginLayers = new ArrayList<>();
        for (Map.Entry<Path, List<Path>> group : groups(plugins.get()).entrySet()) {
            layer(List.of(base), accepted(group.getValue(), base), group.getKey()).ifPresent(pluginLayers::add);
        }
        if (pluginLayers.isEmpty()) {
            return base;
        }
        if (pluginLayers.size() == 1) {
            useForLibraries(pluginLayers.get(0));
            return pluginLayers.get(0);
        }
        // An empty layer over every plugin layer: one service lookup from it walks them all, and the parents once.
        Configuration union = Configuration.resolve(ModuleFinder.of(),
                pluginLayers.stream().map(ModuleLayer::configuration).toList(), ModuleFinder.of(), Set.of());
        return ModuleLayer.defineModulesWithOneLoader(union, pluginLayers, Plugins.class.getClassLoader()).layer();
    }

    private static Optional<Path> home() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        // Linked into a runtime image (bin/java -m dev.flusso.cli without the launcher): the image is the installation.
        boolean linked = ModuleLayer.boot().configuration().findModule("dev.flusso.cli")
                .flatMap(m -> m.reference().location()).map(uri -> "jrt".equals(uri.getScheme())).orElse(false);
        return linked ? Optional.of(Path.of(System.getProperty("java.home"))) : Optional.empty();
    }

    private static Optional<Path> pluginFolder(Optional<Path> home) {
        return configuredPluginFolder().or(() -> home.map(h -> h.resolve("plugins")));
    }

    private static Optional<Path> configuredPluginFolder() {
        String property = System.getProperty(PLUGINS_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        String env = System.getenv(PLUGINS_ENV);
        return env != null && !env.isBlank() ? Optional.of(Path.of(env)) : Optional.empty();
    }

    /** The jars directly in the folder form one group; each sub-folder's jars another. */
    private static Map<Path, List<Path>> groups(Path folder) {
        Map<Path, List<Path>> groups = new LinkedHashMap<>();
        List<Path> direct = jars(folder);
        if (!direct.isEmpty()) {
            groups.put(folder, direct);
        }
        for (Path sub : list(folder).stream().filter(Files::isDirectory).toList()) {
            List<Path> jars = jars(sub);
            if (!jars.isEmpty()) {
                groups.put(sub, jars);
            }
        }
        return groups;
    }

    /**
     * {@return the module of each jar that can be read and adds a module the parents lack}; the others are reported
     * and left out
     */
    private static Map<String, ModuleReference> accepted(List<Path> jars, ModuleLayer parent) {
        Map<String, ModuleReference> modules = new LinkedHashMap<>();
        Map<String, Path> from = new LinkedHashMap<>();
        for (Path jar : jars) {
            ModuleReference module;
            try {
                Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
                if (found.isEmpty()) {
                    LOG.warn("{}: ignored: not a module jar", jar);
                    continue;
                }
                module = found.iterator().next();
            } catch (FindException e) {
                LOG.warn("{}: ignored: cannot be read as a module: {}", jar, causes(e));
                continue;
            }
            String name = module.descriptor().name();
            Optional<Module> existing = parent.findModule(name);
            if (existing.isPresent()) {
                LOG.warn("{}: ignored: module {} is part of Flusso already ({}); a plugin must not bring its own copy, "
                        + "as its classes would not be Flusso's", jar, name, where(existing.get()));
                continue;
            }
            if (from.containsKey(name)) {
                LOG.warn("{}: ignored: module {} is in {} already", jar, name, from.get(name).getFileName());
                continue;
            }
            modules.put(name, module);
            from.put(name, jar);
        }
        return modules;
    }

    /** {@return a layer of the modules over the parents}, or empty, with the reason logged, if they do not resolve */
    private static Optional<ModuleLayer> layer(List<ModuleLayer> parents, Map<String, ModuleReference> modules, Path folder) {
        if (modules.isEmpty()) {
            return Optional.empty();
        }
        try {
            ModuleFinder finder = finderOf(modules);
            Configuration configuration = Configuration.resolve(finder,
                    parents.stream().map(ModuleLayer::configuration).toList(), ModuleFinder.of(), modules.keySet());
            ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(configuration, parents, parentLoader(parents)).layer();
            LOG.debug("loaded {} as a module layer: {}", folder, modules.keySet());
            return Optional.of(layer);
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            LOG.error("{}: not loaded: {}", folder, causes(e));
            return Optional.empty();
        }
    }

    private static ModuleFinder finderOf(Map<String, ModuleReference> modules) {
        return new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return Optional.ofNullable(modules.get(name));
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.copyOf(modules.values());
            }
        };
    }

    /**
     * A layer's loader delegates to its parent layer's (each of our layers has one loader), so a library's lookups
     * through the context class loader see both; over the boot layer, to the application's loader.
     */
    private static ClassLoader parentLoader(List<ModuleLayer> parents) {
        ModuleLayer parent = parents.get(0);
        if (parent == Plugins.class.getModule().getLayer()) {
            return Plugins.class.getClassLoader();
        }
        return parent.modules().stream().findAny().map(Module::getClassLoader).orElse(Plugins.class.getClassLoader());
    }

    /**
     * Libraries such as jakarta.json find their implementation with the context class loader, which is the
     * application's and sees no layer: point it at the layer, for this thread and the threads it starts.
     */
    private static void useForLibraries(ModuleLayer layer) {
        layer.modules().stream().findAny().map(Module::getClassLoader)
                .ifPresent(Thread.currentThread()::setContextClassLoader);
    }

    private static List<Path> jars(Path folder) {
        return list(folder).stream().filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).toList();
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String where(Module module) {
        return module.getLayer() != null
                ? module.getLayer().configuration().findModule(module.getName())
                        .flatMap(m -> m.reference().location()).map(Object::toString).orElse(module.getName())
                : module.getName();
    }

    private static String causes(Throwable e) {
        return Stream.iterate(e, t -> t != null, Throwable::getCause).map(Throwable::getMessage)
                .filter(m -> m != null).distinct().collect(Collectors.joining(": "));
    }
}
