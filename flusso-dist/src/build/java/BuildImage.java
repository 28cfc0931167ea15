import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds Flusso's runtime image from the modules Maven copied, with the JDK that runs this program (single-file
 * source launch, JEP 330: no build plugin of our own to maintain).
 *
 * <ol>
 *   <li>Splits the modules: every explicit module whose requires are all explicit is linked into the image; an
 *       automatic module (pgjdbc, opensearch-java, httpclient5, the Prometheus client…), which jlink refuses, and
 *       every module that requires one, is left out, to be loaded as a module layer at start: the command and what
 *       it needs in {@code lib/app/} (the launcher's layer), the rest in {@code lib/backends/} (a child layer the
 *       command builds when it looks up providers). Computed, never listed: a library that ships a descriptor one
 *       day moves into the image by itself.</li>
 *   <li>Computes the JDK modules the layer needs (jlink links only what the linked modules require): jdeps for the
 *       automatic modules, the descriptors' requires for the explicit ones, plus the given extras.</li>
 *   <li>Links the image, copies {@code bin/flusso}, {@code plugins/} and the layer's jars into it.</li>
 *   <li>Trains a class-data-sharing archive, {@code lib/flusso.jsa}, on the commands whose start-up matters.</li>
 * </ol>
 *
 * <p>Arguments: {@code --modules=DIR --image=DIR --files=DIR --training=DIR --jdk-modules=a,b --version=V}.
 */
public final class BuildImage {

    private static final String COMMAND = "dev.flusso.cli";
    private static final String COMMAND_CLASS = "dev.flusso.cli.Flusso";
    private static final String LAUNCHER = "dev.flusso.dist";
    private static final String LAUNCHER_CLASS = "dev.flusso.dist.Launcher";

    private final Map<String, String> options;
    private final Path modules;
    private final Path image;

    private BuildImage(Map<String, String> options) {
        this.options = options;
        this.modules = Path.of(required("modules"));
        this.image = Path.of(required("image"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("argument '" + arg + "': expected --name=value");
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        new BuildImage(options).build();
    }

    private void build() throws Exception {
        long start = System.nanoTime();
        Map<String, ModuleReference> all = new TreeMap<>();
        for (ModuleReference module : ModuleFinder.of(modules, Path.of(required("launcher"))).findAll()) {
            all.put(module.descriptor().name(), module);
        }
        Set<String> layered = layered(all);
        Set<String> linked = new TreeSet<>(all.keySet());
        linked.removeAll(layered);
        Set<String> command = commandLayer(all, layered);
        Set<String> backends = new TreeSet<>(layered);
        backends.removeAll(command);
        log("linked into the image: " + linked);
        log("in lib/app (the command's module layer, loaded by the launcher): " + command);
        log("in lib/backends (a module layer loaded when providers are looked up): " + backends);

        Set<String> jdk = jdkModules(all, layered);
        log("JDK modules: " + jdk);

        delete(image);
        Path linkPath = Files.createDirectories(image.resolveSibling(image.getFileName() + "-linked-modules"));
        delete(linkPath);
        Files.createDirectories(linkPath);
        for (String name : linked) {
            copy(location(all.get(name)), linkPath);
        }
        Set<String> roots = new TreeSet<>(linked);
        roots.addAll(jdk);
        List<String> jlink = new ArrayList<>(List.of(
                "--module-path", modulePath(linkPath),
                "--add-modules", String.join(",", roots),
                "--output", image.toString(),
                "--no-header-files", "--no-man-pages",
                // The JDK's own classes in a CDS archive of the image; lib/flusso.jsa adds ours on top.
                "--generate-cds-archive"));
        // Not compressed: reading the uncompressed jimage is what start-up wants. Line numbers are kept for stack traces.
        run("jlink", jlink);
        delete(linkPath);

        Path app = Files.createDirectories(image.resolve("lib").resolve("app"));
        for (String name : command) {
            copy(location(all.get(name)), app);
        }
        Path backendFolder = Files.createDirectories(image.resolve("lib").resolve("backends"));
        for (String name : backends) {
            copy(location(all.get(name)), backendFolder);
        }
        copyTree(Path.of(required("files")), image);
        // The command runs from the boot layer when it could be linked, else the launcher loads it from the layer.
        String main = linked.contains(COMMAND) ? COMMAND + "/" + COMMAND_CLASS : LAUNCHER + "/" + LAUNCHER_CLASS;
        log("bin/flusso runs " + main);
        Path launcher = image.resolve("bin").resolve("flusso");
        Files.writeString(launcher, Files.readString(launcher).replace("@MAIN@", main));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(image.resolve("lib").resolve("flusso-version"), required("version") + "\n");

        if (!"none".equals(options.get("cds"))) {
            train();
        }
        log(String.format("image %s built in %.1f s", image, (System.nanoTime() - start) / 1e9));
    }

    /** {@return the automatic modules, and every module that requires one, transitively} */
    private static Set<String> layered(Map<String, ModuleReference> all) {
        Set<String> layered = new TreeSet<>();
        all.forEach((name, module) -> {
            if (module.descriptor().isAutomatic()) {
                layered.add(name);
            }
        });
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, ModuleReference> e : all.entrySet()) {
                boolean needsLayer = e.getValue().descriptor().requires().stream()
                        .anyMatch(r -> layered.contains(r.name()) && !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
                if (needsLayer && layered.add(e.getKey())) {
                    grew = true;
                }
            }
        }
        return layered;
    }

    /**
     * {@return the command and the layered modules it needs}, following explicit requires and, for automatic
     * modules (which declare none), the jar-to-jar dependencies jdeps finds. The backends stay out: a command that
     * needs no provider (--version, check --offline) never reads their jars.
     */
    private static Set<String> commandLayer(Map<String, ModuleReference> all, Set<String> layered) {
        Set<String> command = new TreeSet<>();
        if (!layered.contains(COMMAND)) {
            return command;
        }
        Map<String, Set<String>> uses = automaticDependencies(all, layered);
        List<String> pending = new ArrayList<>(List.of(COMMAND));
        while (!pending.isEmpty()) {
            String name = pending.remove(pending.size() - 1);
            if (!layered.contains(name) || !command.add(name)) {
                continue;
            }
            all.get(name).descriptor().requires().forEach(r -> pending.add(r.name()));
            pending.addAll(uses.getOrDefault(name, Set.of()));
        }
        return command;
    }

    /** {@return for each automatic module, the modules whose jars its classes use} */
    private static Map<String, Set<String>> automaticDependencies(Map<String, ModuleReference> all, Set<String> layered) {
        Map<String, String> moduleOfJar = new LinkedHashMap<>();
        all.forEach((name, module) -> moduleOfJar.put(location(module).getFileName().toString(), name));
        List<String> automatic = layered.stream().filter(n -> all.get(n).descriptor().isAutomatic())
                .map(n -> location(all.get(n)).toString()).toList();
        Map<String, Set<String>> uses = new TreeMap<>();
        if (automatic.isEmpty()) {
            return uses;
        }
        String classPath = all.values().stream().map(m -> location(m).toString()).collect(Collectors.joining(java.io.File.pathSeparator));
        List<String> jdeps = new ArrayList<>(List.of("--multi-release", String.valueOf(Runtime.version().feature()),
                "-summary", "-cp", classPath));
        jdeps.addAll(automatic);
        for (String line : run("jdeps", jdeps).lines().toList()) {
            // "a.jar -> /path/to/b.jar", or "-> java.base", "-> not found"
            String[] edge = line.trim().split("\\s+->\\s+");
            if (edge.length != 2) {
                continue;
            }
            String from = moduleOfJar.get(Path.of(edge[0]).getFileName().toString());
            String to = moduleOfJar.get(Path.of(edge[1]).getFileName().toString());
            if (from != null && to != null) {
                uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
            }
        }
        return uses;
    }

    /** JDK modules the layer's modules need, which jlink cannot see, and the configured extras. */
    private Set<String> jdkModules(Map<String, ModuleReference> all, Set<String> layered) {
        Set<String> jdk = new TreeSet<>();
        Set<String> system = ModuleFinder.ofSystem().findAll().stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
        List<String> automaticJars = new ArrayList<>();
        for (String name : layered) {
            ModuleDescriptor descriptor = all.get(name).descriptor();
            if (descriptor.isAutomatic()) {
                automaticJars.add(location(all.get(name)).toString());
            } else {
                descriptor.requires().stream()
                        .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                        .map(ModuleDescriptor.Requires::name).filter(system::contains).forEach(jdk::add);
            }
        }
        if (!automaticJars.isEmpty()) {
            List<String> jdeps = new ArrayList<>(List.of("--multi-release", String.valueOf(Runtime.version().feature()),
                    "--ignore-missing-deps", "--print-module-deps"));
            jdeps.addAll(automaticJars);
            String printed = run("jdeps", jdeps).trim();
            String last = printed.lines().reduce((a, b) -> b).orElse("");
            Arrays.stream(last.split(",")).map(String::trim).filter(system::contains).forEach(jdk::add);
        }
        for (String extra : options.getOrDefault("jdk-modules", "").split(",")) {
            if (extra.isBlank()) {
                continue;
            }
            if (!system.contains(extra.trim())) {
                throw new IllegalStateException("JDK module '" + extra.trim() + "' (flusso.image.extraJdkModules) is not in "
                        + System.getProperty("java.home") + "; expected one of " + new TreeSet<>(system));
            }
            jdk.add(extra.trim());
        }
        jdk.remove("java.base");
        jdk.add("java.base");
        return jdk;
    }

    /**
     * Records the classes each start-up-sensitive command loads, then dumps them into one archive that
     * {@code bin/flusso} maps at every start. The JDK's archive covers the JDK's own start.
     */
    private void train() throws IOException, InterruptedException {
        Path training = Path.of(required("training"));
        Path work = Files.createDirectories(image.resolveSibling("cds-training"));
        Path flusso = image.resolve("bin").resolve("flusso");
        Path java = image.resolve("bin").resolve("java");
        List<List<String>> commands = List.of(
                List.of("--version"),
                List.of("--help"),
                List.of("check", "--offline", "-c", training.resolve("flusso.toml").toString()),
                List.of("check", "--offline", "--format", "json", "-c", training.resolve("flusso.toml").toString()),
                List.of("plugins"));
        Set<String> classes = new java.util.LinkedHashSet<>();
        int i = 0;
        for (List<String> command : commands) {
            Path list = work.resolve("classes-" + i++ + ".txt");
            List<String> line = new ArrayList<>(List.of(flusso.toString()));
            line.addAll(command);
            exec(line, work, false, "-Xshare:off -XX:DumpLoadedClassList=" + list);
            // Only the built-in loaders' classes can be named in a list (a layer's have a "source:"). Each run numbers
            // its classes ("id: 12"): the numbers clash across runs, and a plain name is enough for these classes.
            Files.readAllLines(list).stream().filter(l -> !l.startsWith("#") && !l.isBlank() && !l.contains(" source:"))
                    .map(l -> l.startsWith("@") ? l : l.split("\\s+")[0])
                    .forEach(classes::add);
        }
        Path merged = work.resolve("classes.txt");
        Files.write(merged, classes);
        Path archive = image.resolve("lib").resolve("flusso.jsa");
        exec(List.of(java.toString(), "-Xshare:dump", "-XX:SharedClassListFile=" + merged, "-XX:SharedArchiveFile=" + archive,
                "--add-modules", "ALL-SYSTEM"), work, true, "");
        log("class-data-sharing archive " + archive + ": " + classes.size() + " classes, "
                + Files.size(archive) / (1024 * 1024) + " MiB");
    }

    private static void exec(List<String> command, Path dir, boolean mustSucceed, String javaOptions)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("last-output.txt").toFile());
        builder.environment().put("FLUSSO_JAVA_OPTS", javaOptions);
        builder.environment().remove("FLUSSO_PLUGINS");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new IllegalStateException("failed (exit " + process.exitValue() + "): " + command + "\n"
                    + Files.readString(dir.resolve("last-output.txt")));
        }
    }

    private static String run(String tool, List<String> args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException(tool + " is not in " + System.getProperty("java.home") + ": build with a full JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = provider.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed (" + code + "):\n" + out + err);
        }
        return out.toString();
    }

    /** The JDK's jmods when it ships them (JDK 17); a JDK 24+ without them links from its own run-time image. */
    private static String modulePath(Path linked) {
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        return Files.isDirectory(jmods) ? linked + java.io.File.pathSeparator + jmods : linked.toString();
    }

    private static Path location(ModuleReference module) {
        return Path.of(module.location().orElseThrow());
    }

    private static void copy(Path file, Path folder) throws IOException {
        Files.copy(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private String required(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + "=… is required");
        }
        return value;
    }

    private static void log(String text) {
        System.out.println("[flusso-dist] " + text);
    }
}
