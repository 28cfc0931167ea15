package dev.flusso.api;

/**
 * Where {@link DocumentBuilder#resolve} reports the documents a batch of changes affects. Called on the worker
 * thread; the engine dedups, so reporting a document twice is harmless.
 */
@FunctionalInterface
public interface Resolution {

    /**
     * @param document a document to rebuild (or delete, if its root row is gone), never {@code null}
     * @param version the version of the change that affects it
     */
    void affects(DocumentId document, long version);
}
