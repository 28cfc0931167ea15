package dev.flusso.source.polling.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.TableRef;
import dev.flusso.postgres.DocumentIds;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The cursors in a local file, for a role that may only read: a properties file with one {@code cursor.} and one
 * optional {@code floor.} entry per table (the table written {@code schema|name}). Saved by writing a temporary file
 * beside it, forcing it to disk, and renaming it over the old one.
 */
final class FileStateStore implements StateStore {

    private static final String FORMAT = "1";

    private final Path file;

    FileStateStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    @Override
    public Map<TableRef, TableCursor> load() {
        if (!Files.exists(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new FlussoException("cannot read the polling state file " + file + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw new FlussoException("the polling state file " + file + " has format '" + properties.getProperty("format")
                    + "', expected '" + FORMAT + "': it was not written by this version of the polling capture");
        }
        Map<TableRef, TableCursor> cursors = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("cursor.")) {
                continue;
            }
            String encoded = key.substring("cursor.".length());
            Optional<List<String>> parts = DocumentIds.decode(encoded, 2);
            if (parts.isEmpty()) {
                throw new FlussoException("the polling state file " + file + " has entry '" + key + "', which names no table");
            }
            TableRef table = new TableRef(parts.get().get(0), parts.get().get(1));
            cursors.put(table, new TableCursor(XidSnapshot.parse(properties.getProperty(key)),
                    properties.getProperty("floor." + encoded)));
        }
        return cursors;
    }

    @Override
    public void save(Map<TableRef, TableCursor> cursors) {
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        cursors.forEach((table, cursor) -> {
            String encoded = DocumentIds.encode(List.of(table.schema(), table.name()));
            properties.setProperty("cursor." + encoded, cursor.snapshot().text());
            if (cursor.floor() != null) {
                properties.setProperty("floor." + encoded, cursor.floor());
            }
        });
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "flusso polling capture: confirmed cursors; do not edit while flusso runs");
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(StandardCharsets.UTF_8.encode(text.toString()));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durable.forceDirectory(file.getParent());
        } catch (IOException e) {
            throw new FlussoException("cannot write the polling state file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "state file " + file;
    }
}
