package dev.flusso.api;

import java.util.Objects;

/**
 * A document's address: its logical index and its id. Ids are deterministic (derived from the root row's primary
 * key), so rebuilding a document and writing it again replaces it rather than duplicating it.
 *
 * @param index the logical index name, never {@code null}
 * @param id the document id, never {@code null}
 */
public record DocumentId(String index, String id) {

    public DocumentId {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return index + "/" + id;
    }
}
