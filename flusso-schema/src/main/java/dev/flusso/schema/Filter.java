package dev.flusso.schema;

import java.util.List;
import java.util.Objects;

/**
 * A row filter: either raw SQL text, or a column compared with values. Values are kept as the text the user wrote
 * ({@code 10}, {@code true}, {@code paid}); the database casts them to the column's type.
 *
 * @param raw the raw condition, or {@code null} for a column filter
 * @param column the filtered column, or {@code null} for a raw filter
 * @param op the operator, or {@code null} for a raw filter
 * @param values the operands: none, one, two ({@code between}) or any number ({@code in}, {@code not_in})
 */
public record Filter(String raw, String column, FilterOp op, List<String> values) {

    public Filter {
        values = List.copyOf(values);
        if ((raw == null) == (column == null) || (column == null) != (op == null)) {
            throw new IllegalArgumentException("a filter is either raw text or a column with an operator");
        }
    }

    /** {@return a raw SQL filter} */
    public static Filter raw(String raw) {
        return new Filter(Objects.requireNonNull(raw, "raw"), null, null, List.of());
    }

    /** {@return a column filter} */
    public static Filter column(String column, FilterOp op, List<String> values) {
        return new Filter(null, Objects.requireNonNull(column, "column"), Objects.requireNonNull(op, "op"), values);
    }
}
