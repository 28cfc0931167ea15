package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One query for a whole set of keys: the rows of a table whose columns {@code by} take any of the given values,
 * with the text of the columns {@code out}. Values travel as text arrays and are cast to the columns' types.
 */
final class Lookup {

    private Lookup() {
    }

    /**
     * @param found receives each matching row's {@code by} values and {@code out} values, all as text; rows with a
     *     null among the {@code out} values are skipped
     */
    static void rows(Connection connection, Catalog catalog, TableRef table, List<String> by, Collection<List<String>> keys,
            List<String> out, BiConsumer<List<String>, List<String>> found) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        List<String> selected = new ArrayList<>();
        for (String column : by) {
            selected.add("CAST(" + Sql.column("t", column) + " AS text)");
        }
        for (String column : out) {
            selected.add("CAST(" + Sql.column("t", column) + " AS text)");
        }
        String sql = "SELECT " + String.join(", ", selected) + " FROM " + Sql.table(table) + " AS t WHERE "
                + keyCondition("t", table, by, catalog);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindKeys(connection, statement, 1, keys, by.size());
            statement.setFetchSize(1000);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    List<String> in = new ArrayList<>(by.size());
                    for (int i = 0; i < by.size(); i++) {
                        in.add(rows.getString(i + 1));
                    }
                    List<String> values = new ArrayList<>(out.size());
                    boolean complete = true;
                    for (int i = 0; i < out.size(); i++) {
                        String value = rows.getString(by.size() + i + 1);
                        complete &= value != null;
                        values.add(value);
                    }
                    if (complete) {
                        found.accept(in, values);
                    }
                }
            }
        }
    }

    /** {@return a condition that the row {@code alias} has one of the keys bound as text arrays, one per column} */
    static String keyCondition(String alias, TableRef table, List<String> columns, Catalog catalog) {
        if (columns.size() == 1) {
            String column = columns.get(0);
            return Sql.column(alias, column) + " = ANY(CAST(CAST(? AS text[]) AS " + catalog.typeOf(table, column) + "[]))";
        }
        List<String> left = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        List<String> arrays = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            left.add(Sql.column(alias, columns.get(i)));
            casts.add("CAST(flusso_u.k" + i + " AS " + catalog.typeOf(table, columns.get(i)) + ")");
            arrays.add("CAST(? AS text[])");
            names.add("k" + i);
        }
        return "(" + String.join(", ", left) + ") IN (SELECT " + String.join(", ", casts) + " FROM unnest("
                + String.join(", ", arrays) + ") AS flusso_u(" + String.join(", ", names) + "))";
    }

    /** Binds the keys column by column, as text arrays, from parameter {@code first} on. */
    static int bindKeys(Connection connection, PreparedStatement statement, int first, Collection<List<String>> keys,
            int arity) throws SQLException {
        for (int column = 0; column < arity; column++) {
            String[] values = new String[keys.size()];
            int i = 0;
            for (List<String> key : keys) {
                values[i++] = key.get(column);
            }
            statement.setArray(first + column, connection.createArrayOf("text", values));
        }
        return first + arity;
    }
}
