package dev.flusso.sink.testkit;

import dev.flusso.api.DocumentId;
import java.util.Optional;

/**
 * Reads back what a sink made durable, the way a user of its destination would: a search index's get-by-id, the
 * lines of an output file. Supplied by the sink's own test; the kit never reads the destination another way.
 */
@FunctionalInterface
public interface DocumentReader {

    /**
     * {@return the source of the stored document, as JSON text, or empty when there is none}
     *
     * @param id the logical index and id, never {@code null}
     */
    Optional<String> read(DocumentId id);
}
