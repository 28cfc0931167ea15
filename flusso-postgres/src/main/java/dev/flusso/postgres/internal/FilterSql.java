package dev.flusso.postgres.internal;

import dev.flusso.schema.Filter;
import java.util.List;

/** Row filters as SQL conditions; values are bound untyped, so the database casts them to the column's type. */
final class FilterSql {

    private FilterSql() {
    }

    /** Appends the conjunction of the filters on {@code alias}'s row, or {@code TRUE} if none. */
    static void all(List<Filter> filters, String alias, Sql out) {
        if (filters.isEmpty()) {
            out.add("TRUE");
            return;
        }
        for (int i = 0; i < filters.size(); i++) {
            out.add(i == 0 ? "(" : " AND (");
            one(filters.get(i), alias, out);
            out.add(")");
        }
    }

    private static void one(Filter filter, String alias, Sql out) {
        if (filter.raw() != null) {
            // The one declared escape hatch: raw SQL over the row, as the user wrote it.
            out.add(filter.raw());
            return;
        }
        String column = Sql.column(alias, filter.column());
        List<String> values = filter.values();
        switch (filter.op()) {
            case EQ -> binary(column, " = ", values, out);
            case NEQ -> binary(column, " <> ", values, out);
            case LT -> binary(column, " < ", values, out);
            case LTE -> binary(column, " <= ", values, out);
            case GT -> binary(column, " > ", values, out);
            case GTE -> binary(column, " >= ", values, out);
            case LIKE -> out.add("CAST(" + column + " AS text) LIKE ").param(values.get(0));
            case ILIKE -> out.add("CAST(" + column + " AS text) ILIKE ").param(values.get(0));
            case IN -> list(column, " IN (", "FALSE", values, out);
            case NOT_IN -> list(column, " NOT IN (", "TRUE", values, out);
            case BETWEEN -> out.add(column + " BETWEEN ").param(new Sql.Untyped(values.get(0))).add(" AND ")
                    .param(new Sql.Untyped(values.get(1)));
            case IS_NULL -> out.add(column + " IS NULL");
            case IS_NOT_NULL -> out.add(column + " IS NOT NULL");
        }
    }

    private static void binary(String column, String op, List<String> values, Sql out) {
        out.add(column + op).param(new Sql.Untyped(values.get(0)));
    }

    private static void list(String column, String op, String whenEmpty, List<String> values, Sql out) {
        if (values.isEmpty()) {
            out.add(whenEmpty);
            return;
        }
        out.add(column + op);
        for (int i = 0; i < values.size(); i++) {
            out.add(i == 0 ? "" : ", ").param(new Sql.Untyped(values.get(i)));
        }
        out.add(")");
    }
}
