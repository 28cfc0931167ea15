package dev.flusso.dist;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import javax.tools.JavaCompiler;

/**
 * A plugin as a third party writes it: its own module, compiled against {@code flusso-api} alone, outside the
 * reactor. Its {@code textfile} sink appends {@code index TAB id TAB document} lines (document {@code -} for a
 * deletion) to the file its {@code path} setting names.
 */
final class ThirdPartySink {

    static final String MODULE = "com.example.textfile";
    static final String NAME = "textfile";

    private static final String MODULE_INFO = """
            module com.example.textfile {
                requires dev.flusso.api;
                provides dev.flusso.api.spi.SinkProvider with com.example.textfile.TextFileSinkProvider;
            }
            """;

    private static final String PROVIDER = """
            package com.example.textfile;

            import dev.flusso.api.Sink;
            import dev.flusso.api.spi.ProviderContext;
            import dev.flusso.api.spi.SinkProvider;
            import java.nio.file.Path;

            public final class TextFileSinkProvider implements SinkProvider {
                @Override
                public String name() {
                    return "textfile";
                }

                @Override
                public String description() {
                    return "index, id and document on a line of a text file";
                }

                @Override
                public Sink create(ProviderContext context) {
                    return new TextFileSink(Path.of(context.settings().requireString("path")));
                }
            }
            """;

    private static final String SINK = """
            package com.example.textfile;

            import dev.flusso.api.Document;
            import dev.flusso.api.FlushResult;
            import dev.flusso.api.FlussoException;
            import dev.flusso.api.IndexDefinition;
            import dev.flusso.api.Sink;
            import java.io.IOException;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            import java.util.HashMap;
            import java.util.HashSet;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;

            final class TextFileSink implements Sink {
                private final Path file;
                private final StringBuilder pending = new StringBuilder();
                private final Set<String> seeded = new HashSet<>();
                private final Map<String, String> checkpoints = new HashMap<>();

                TextFileSink(Path file) {
                    this.file = file;
                }

                @Override public void ensureIndex(IndexDefinition index) { }
                @Override public boolean isSeeded(String index) { return seeded.contains(index); }
                @Override public void markSeeded(String index) { seeded.add(index); }
                @Override public void markUnseeded(String index) { seeded.remove(index); }
                @Override public Optional<String> backfillCheckpoint(String index) { return Optional.ofNullable(checkpoints.get(index)); }
                @Override public void saveCheckpoint(String index, String checkpoint) { checkpoints.put(index, checkpoint); }

                @Override
                public void write(Document document) {
                    pending.append(document.id().index()).append('\\t').append(document.id().id()).append('\\t')
                            .append(document.isDeletion() ? "-" : document.source()).append('\\n');
                }

                @Override
                public FlushResult flush() {
                    try {
                        Files.writeString(file, pending, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new FlussoException("cannot append to " + file + ": " + e.getMessage(), e);
                    }
                    pending.setLength(0);
                    return FlushResult.clean();
                }
            }
            """;

    private ThirdPartySink() {
    }

    /** {@return the plugin's module jar, built in the folder from sources, against the flusso-api jar only} */
    static Path build(Path folder, Path flussoApi) throws IOException {
        return moduleJar(folder, "textfile-sink-1.0.jar", flussoApi.toString(), Map.of("module-info.java", MODULE_INFO,
                "com/example/textfile/TextFileSinkProvider.java", PROVIDER, "com/example/textfile/TextFileSink.java", SINK));
    }

    /** {@return a plugin jar whose module requires another module, which is compiled against but not shipped} */
    static Path buildRequiring(Path folder, Path flussoApi, String absentModule) throws IOException {
        Path absent = moduleJar(folder.resolve("absent"), "absent.jar", "", Map.of("module-info.java",
                "module " + absentModule + " { exports " + absentModule + "; }",
                absentModule.replace('.', '/') + "/Thing.java", "package " + absentModule + "; public final class Thing { }"));
        return moduleJar(folder, "needy-sink-1.0.jar", flussoApi + java.io.File.pathSeparator + absent, Map.of(
                "module-info.java", """
                        module com.example.needy {
                            requires dev.flusso.api;
                            requires %s;
                            provides dev.flusso.api.spi.SinkProvider with com.example.needy.NeedySinkProvider;
                        }
                        """.formatted(absentModule),
                "com/example/needy/NeedySinkProvider.java", """
                        package com.example.needy;

                        public final class NeedySinkProvider implements dev.flusso.api.spi.SinkProvider {
                            @Override public String name() { return "needy"; }
                            @Override public dev.flusso.api.Sink create(dev.flusso.api.spi.ProviderContext context) {
                                throw new UnsupportedOperationException();
                            }
                        }
                        """));
    }

    private static Path moduleJar(Path folder, String jarName, String modulePath, Map<String, String> sources) throws IOException {
        Path sourceRoot = folder.resolve("src");
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceRoot.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        Path classes = Files.createDirectories(folder.resolve("classes"));
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        if (!modulePath.isEmpty()) {
            options.addAll(List.of("--module-path", modulePath));
        }
        try (var fileManager = javac.getStandardFileManager(null, null, null)) {
            boolean compiled = javac.getTask(diagnostics, fileManager, null, options, null,
                    fileManager.getJavaFileObjectsFromStrings(files)).call();
            if (!compiled) {
                throw new AssertionError(jarName + " does not compile against " + modulePath + ":\n" + diagnostics);
            }
        }
        Path jar = folder.resolve(jarName);
        tool("jar", "--create", "--file", jar.toString(), "--module-version", "1.0", "-C", classes.toString(), ".");
        return jar;
    }

    /** {@return what the tool printed}, failing if it fails */
    static String tool(String name, String... args) {
        ToolProvider tool = ToolProvider.findFirst(name).orElseThrow(() -> new AssertionError("no " + name + " tool in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = tool.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
        if (code != 0) {
            throw new AssertionError(name + " " + String.join(" ", args) + " failed (" + code + "): " + out + err);
        }
        return out.toString();
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
