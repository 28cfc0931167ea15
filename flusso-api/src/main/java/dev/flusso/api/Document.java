package dev.flusso.api;

import java.util.Objects;

/**
 * A document to write, or a deletion, with the version it was built as of.
 *
 * @param id where it goes, never {@code null}
 * @param version the source position as of which it was built; a sink may refuse a write whose version is older
 *     than the one it holds (for a redelivered or late batch)
 * @param source the document as a JSON object text, or {@code null} for a deletion
 */
public record Document(DocumentId id, long version, String source) {

    public Document {
        Objects.requireNonNull(id, "id");
    }

    public static Document upsert(DocumentId id, long version, String source) {
        return new Document(id, version, Objects.requireNonNull(source, "source"));
    }

    public static Document deletion(DocumentId id, long version) {
        return new Document(id, version, null);
    }

    /** {@return whether this removes the document rather than writing it} */
    public boolean isDeletion() {
        return source == null;
    }
}
