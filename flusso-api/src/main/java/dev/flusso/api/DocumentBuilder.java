package dev.flusso.api;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Turns changed rows into documents, in two steps: {@link #resolve} finds the documents a batch of changes
 * affects (a child row leads to its root documents), and {@link #build} assembles each from the current rows.
 *
 * <p>Lifecycle, in this order: {@link #indexes()} on the engine's start thread; then {@code resolve} and
 * {@code build}, any number of times, on the worker thread only (one call at a time); then {@link #close()}, once.
 *
 * <p>Documents are always built from the current rows, never from the change: so a redelivered change rebuilds
 * the same document, and a document touched N times in a batch is built once.
 */
public interface DocumentBuilder extends AutoCloseable {

    /** {@return every index this builder builds, with its mapping; the same list on every call} */
    List<IndexDefinition> indexes();

    /**
     * Finds the documents of the given indexes that the changes affect. For an update, both the old and the new
     * values of relating columns count, so a child moved from parent A to parent B affects both; a primary-key
     * update affects the document under its old id (which {@link #build} will find gone) and its new one.
     * May block (it may query the source).
     *
     * @param changes the batch's changes, never {@code null}
     * @param indexes the logical names of the indexes to resolve for, a subset of {@link #indexes()}
     * @param out where to report each affected document, with the version of the change that affects it
     */
    void resolve(List<Change> changes, Set<String> indexes, Resolution out);

    /**
     * Builds each requested document from the current rows, reporting each to {@code out} exactly once.
     * May block.
     *
     * @param documents the ids to build, without duplicates, never {@code null}
     * @param out where to deliver each document, deletion or per-item failure
     */
    void build(Collection<DocumentId> documents, BuildOutput out);

    /**
     * Checks this edge against the real thing before a run, for {@code flusso check}: connects, looks, changes
     * nothing. Called on the command's thread, instead of a run; may block.
     *
     * @implSpec The default finds nothing to check.
     * @return what was found, errors first is not required; never {@code null}
     */
    default List<Finding> check() {
        return List.of();
    }

    /**
     * Releases what the builder holds. Called once, after the last build.
     *
     * @implSpec Does nothing.
     */
    @Override
    default void close() {
    }
}
