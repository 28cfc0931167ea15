package dev.flusso.api;

import java.util.Objects;

/**
 * One document that could not be built or was refused by the sink, and why. Rejections are per item: the rest of
 * the batch is unaffected, and the engine applies the {@link FailurePolicies} to each.
 *
 * @param document the document at fault, never {@code null}; its source is {@code null} for a deletion or for a
 *     document that could not be built
 * @param reason what was wrong, as the builder or destination said it, never {@code null}
 */
public record Rejection(Document document, String reason) {

    public Rejection {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * A document the builder could not build: it carries no source.
     *
     * @param id the document, never {@code null}
     * @param version the version it was to be built as of
     * @param reason what was wrong, never {@code null}
     * @return the rejection
     */
    public static Rejection unbuilt(DocumentId id, long version, String reason) {
        return new Rejection(new Document(id, version, null), reason);
    }

    @Override
    public String toString() {
        return "document '" + document.id() + "' (version " + document.version() + "): " + reason;
    }
}
