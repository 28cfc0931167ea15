package dev.flusso.sink.stdout;

import dev.flusso.api.Document;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes {@code {"index":…,"id":…,"op":"index"|"delete","version":…,"document":{…}}} lines, and dead letters as
 * {@code "op":"dead_letter"} lines with their {@code reason}. A stream remembers nothing: seeded state and
 * checkpoints last as long as the process, so every run backfills.
 */
final class StdoutSink implements Sink {

    private final Writer out;
    private final boolean pretty;
    private final String prefix;
    private final Set<String> seeded = new HashSet<>();
    private final Map<String, String> checkpoints = new HashMap<>();

    StdoutSink(OutputStream stream) {
        this(stream, false, "");
    }

    /**
     * @param pretty whether to indent each record over several lines instead of one compact line
     * @param prefix put before every index name, possibly empty
     */
    StdoutSink(OutputStream stream, boolean pretty, String prefix) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.pretty = pretty;
        this.prefix = prefix;
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        // A stream has no indexes to create.
    }

    @Override
    public boolean isSeeded(String index) {
        return seeded.contains(index);
    }

    @Override
    public void markSeeded(String index) {
        seeded.add(index);
        checkpoints.remove(index);
    }

    @Override
    public void markUnseeded(String index) {
        seeded.remove(index);
        checkpoints.remove(index);
    }

    @Override
    public Optional<String> backfillCheckpoint(String index) {
        return Optional.ofNullable(checkpoints.get(index));
    }

    @Override
    public void saveCheckpoint(String index, String checkpoint) {
        checkpoints.put(index, checkpoint);
    }

    @Override
    public void write(Document document) {
        line(document, document.isDeletion() ? "delete" : "index", null);
    }

    @Override
    public FlushResult flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new FlussoException("cannot flush documents to the output: " + e.getMessage(), e);
        }
        return FlushResult.clean();
    }

    @Override
    public boolean supportsDeadLetters() {
        return true;
    }

    @Override
    public void deadLetter(List<Rejection> rejections) {
        for (Rejection rejection : rejections) {
            line(rejection.document(), "dead_letter", rejection.reason());
        }
        flush();
    }

    private void line(Document document, String op, String reason) {
        StringBuilder line = new StringBuilder(128 + (document.source() == null ? 0 : document.source().length()));
        line.append("{\"index\":");
        Json.quote(prefix + document.id().index(), line);
        line.append(",\"id\":");
        Json.quote(document.id().id(), line);
        line.append(",\"op\":\"").append(op).append("\",\"version\":").append(document.version());
        if (reason != null) {
            line.append(",\"reason\":");
            Json.quote(reason, line);
        }
        if (document.source() != null) {
            line.append(",\"document\":").append(document.source());
        }
        line.append('}');
        try {
            out.write(pretty ? Json.indent(line.toString()) : line.toString());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the output", e);
        }
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException e) {
            // Nothing unflushed was ever reported durable.
        }
    }
}
