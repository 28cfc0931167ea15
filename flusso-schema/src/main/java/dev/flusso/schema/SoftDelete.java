package dev.flusso.schema;

import java.util.List;
import java.util.Objects;

/**
 * When a root row counts as deleted, so that its document is removed instead of indexed.
 *
 * @param field the document key the user named ({@code soft_delete.field}), or {@code null} when a column was
 *     named directly
 * @param column the root table's marker column, never {@code null}
 * @param deletedWhen {@code true}: the row is deleted when the marker is set (true, or any non-null value of
 *     another type); {@code false} (our extension, {@code deleted_when: false}): deleted when the marker is false
 * @param when further filters that must all hold for the row to count as deleted
 */
public record SoftDelete(String field, String column, boolean deletedWhen, List<Filter> when) {
    public SoftDelete {
        Objects.requireNonNull(column, "column");
        when = List.copyOf(when);
    }
}
