package dev.flusso.sink.opensearch;

import dev.flusso.api.Document;
import java.nio.charset.StandardCharsets;

/**
 * One buffered operation, already encoded as its bulk lines.
 *
 * @param document what the engine wrote
 * @param lines the action line and, for an index operation, the source line, each ending in a newline
 */
record BulkOperation(Document document, byte[] lines) {

    /**
     * Encodes a versioned index or delete operation. {@code external_gte}: a write is applied when its version is at
     * least the stored one, so a redelivered document, rebuilt from rows at least as new, replaces the stored one
     * rather than being refused, while any older version is refused (a version conflict, which is success here).
     */
    static BulkOperation versioned(Document document, String index) {
        String source = document.source();
        StringBuilder out = new StringBuilder(96 + (source == null ? 0 : source.length()));
        out.append(document.isDeletion() ? "{\"delete\":{\"_index\":" : "{\"index\":{\"_index\":");
        Json.quote(index, out);
        out.append(",\"_id\":");
        Json.quote(document.id().id(), out);
        out.append(",\"version\":").append(document.version()).append(",\"version_type\":\"external_gte\"}}\n");
        if (source != null) {
            appendOneLine(source, out);
        }
        return new BulkOperation(document, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Encodes a plain index operation with an already built source, for the sink's own indexes. */
    static BulkOperation plain(Document document, String index, String id, String source) {
        StringBuilder out = new StringBuilder(64 + source.length());
        out.append("{\"index\":{\"_index\":");
        Json.quote(index, out);
        out.append(",\"_id\":");
        Json.quote(id, out);
        out.append("}}\n");
        appendOneLine(source, out);
        return new BulkOperation(document, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void appendOneLine(String source, StringBuilder out) {
        // Bulk bodies are one JSON value per line; in valid JSON a line break can only be whitespace.
        if (source.indexOf('\n') < 0 && source.indexOf('\r') < 0) {
            out.append(source);
        } else {
            out.append(source.replace('\n', ' ').replace('\r', ' '));
        }
        out.append('\n');
    }
}
