package dev.flusso.sink.stdout;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.api.spi.SinkProvider;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The {@code stdout} sink. Settings: {@code path}, a file to append the lines to instead of standard output;
 * {@code pretty}, records indented over several lines (as the original flusso's key) instead of NDJSON;
 * {@code prefix}, the deployment's prefix, put before every index name.
 * ({@code type} is accepted, as the deployment file uses it to select the provider.)
 */
public final class StdoutSinkProvider implements SinkProvider {

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public String description() {
        return "one NDJSON line per document or deletion, on standard output or to a file";
    }

    @Override
    public Sink create(ProviderContext context) {
        Settings settings = context.settings();
        settings.rejectUnknownKeys(Set.of("type", "path", "pretty", "prefix"));
        return new StdoutSink(open(settings), settings.bool("pretty", false), settings.string("prefix", ""));
    }

    private static OutputStream open(Settings settings) {
        String path = settings.string("path", null);
        if (path == null || path.equals("-")) {
            // Not System.out: a PrintStream hides write errors, and a flush must report them.
            return new FileOutputStream(FileDescriptor.out);
        }
        try {
            return Files.newOutputStream(Path.of(path), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ConfigurationException("[" + settings.section() + "] key 'path': cannot open '" + path + "' for writing: " + e.getMessage(), e);
        }
    }
}
