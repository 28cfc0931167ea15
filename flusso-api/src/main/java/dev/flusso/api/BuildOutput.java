package dev.flusso.api;

/**
 * Where {@link DocumentBuilder#build} delivers each requested document: exactly one call per requested id. Called
 * on the worker thread.
 */
public interface BuildOutput {

    /**
     * The document as its rows are now.
     *
     * @param id a requested id, never {@code null}
     * @param source the document as a JSON object text, never {@code null}
     */
    void document(DocumentId id, String source);

    /**
     * The document's root row is gone, or no longer qualifies (a root filter, a soft delete): remove it.
     *
     * @param id a requested id, never {@code null}
     */
    void deleted(DocumentId id);

    /**
     * This one document cannot be built (a value it cannot convert, say); the rest of the batch goes on, and the
     * engine's failure policy decides what happens to it.
     *
     * @param id a requested id, never {@code null}
     * @param reason what is wrong, naming the table, column and value at fault, never {@code null}
     */
    void failed(DocumentId id, String reason);
}
