package dev.flusso.schema;

import java.util.List;
import java.util.Objects;

/**
 * A junction table linking a row to related rows.
 *
 * @param table the junction table
 * @param leftKey the junction's columns pointing at this row's primary key, in key order, never empty
 * @param rightKey the junction's columns pointing at the related row's primary key, in key order, never empty
 */
public record Through(String table, List<String> leftKey, List<String> rightKey) {
    public Through {
        Objects.requireNonNull(table, "table");
        leftKey = List.copyOf(leftKey);
        rightKey = List.copyOf(rightKey);
    }
}
