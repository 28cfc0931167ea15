package dev.flusso.source.polling.internal;

import dev.flusso.api.TableRef;
import java.util.Map;

/**
 * Where the confirmed cursors live between runs. Written only with cursors whose changes are all confirmed; each
 * save replaces the whole state at once, so a crash leaves either the old state or the new one.
 */
interface StateStore extends AutoCloseable {

    /** {@return the stored cursors, or null when nothing was ever stored} */
    Map<TableRef, TableCursor> load();

    /** Makes the store ready to save (creates its table), failing with advice when the role may not. */
    default void prepare() {
    }

    /** Replaces the stored cursors, durably. */
    void save(Map<TableRef, TableCursor> cursors);

    /** {@return what the store is, for messages} */
    String describe();

    @Override
    default void close() {
    }
}
