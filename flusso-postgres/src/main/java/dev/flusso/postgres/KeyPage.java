package dev.flusso.postgres;

import java.util.List;
import java.util.Optional;

/**
 * One page of a root table's keys in key order.
 *
 * @param keys each key as its columns' texts, in key order
 * @param complete whether this is the last page
 */
public record KeyPage(List<List<String>> keys, boolean complete) {

    public KeyPage {
        keys = List.copyOf(keys);
    }

    /** {@return the last key of the page, to ask for the next page after it} */
    public Optional<List<String>> last() {
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(keys.size() - 1));
    }
}
