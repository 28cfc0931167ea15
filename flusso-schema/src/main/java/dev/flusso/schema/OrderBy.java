package dev.flusso.schema;

import java.util.Objects;

/**
 * One sort key of a join's related rows.
 *
 * @param column the related table's column
 * @param descending whether it sorts descending; ascending is the default
 */
public record OrderBy(String column, boolean descending) {
    public OrderBy {
        Objects.requireNonNull(column, "column");
    }
}
