package dev.flusso.api;

import java.util.List;

/**
 * The changes a worker took from the queue in one go, handed back to the same queue with
 * {@link ChangeQueue#acknowledge} once their documents are flushed. A queue may return its own implementation to
 * carry its bookkeeping (offsets, sequence numbers); the engine never makes one.
 */
public interface ChangeBatch {

    /** {@return the changes, in queue order; empty when nothing arrived in time} */
    List<Change> changes();

    /** {@return whether the batch holds no change} */
    default boolean isEmpty() {
        return changes().isEmpty();
    }
}
