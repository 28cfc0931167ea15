package dev.flusso.postgres;

import java.util.Objects;

/**
 * One way the live database does not fit an index schema.
 *
 * @param index the logical index, never {@code null}
 * @param table the table as {@code schema.table}, never {@code null}
 * @param column the column at fault, or the empty string when the whole table is
 * @param message what was found and what was expected, never {@code null}
 * @param fix how to fix it, never {@code null}
 * @param blocking whether builds fail with it; a problem that only leaves some documents stale in some cases (a
 *     replica identity that lacks a foreign key) lets a run start, with a warning
 */
public record CheckProblem(String index, String table, String column, String message, String fix, boolean blocking) {

    /** A problem that builds fail with. */
    public CheckProblem(String index, String table, String column, String message, String fix) {
        this(index, table, column, message, fix, true);
    }

    public CheckProblem {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /** {@return one line: {@code index 'users', table 'public.users', column 'email': message; fix: …}} */
    @Override
    public String toString() {
        return "index '" + index + "', table '" + table + "'" + (column.isEmpty() ? "" : ", column '" + column + "'")
                + ": " + message + "; fix: " + fix;
    }
}
