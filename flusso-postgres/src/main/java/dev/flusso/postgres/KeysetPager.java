package dev.flusso.postgres;

import dev.flusso.api.TableRef;
import dev.flusso.postgres.internal.Catalog;
import dev.flusso.postgres.internal.Session;
import dev.flusso.postgres.internal.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads a root table's keys for a backfill: in primary-key order, page by page, each page one index range scan
 * after the last key of the previous one (keyset pagination), so a backfill resumes from any key without an
 * offset. Keys travel as text and are cast to the columns' types.
 *
 * <p>One thread at a time; {@link #close()} releases the connection.
 */
public final class KeysetPager implements AutoCloseable {

    private final Session session;

    public KeysetPager(DataSource source) {
        this.session = new Session(source, "postgres key pager");
    }

    /**
     * {@return the planner's estimate of the table's rows ({@code pg_class.reltuples}), for progress; -1 if the
     * table was never analysed}
     */
    public long estimate(TableRef table) {
        return session.read("estimating the rows of '" + table + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT c.reltuples::bigint FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
                statement.setString(1, table.schema());
                statement.setString(2, table.name());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Math.max(-1, rows.getLong(1)) : -1L;
                }
            }
        });
    }

    /**
     * @param table the root table
     * @param keyColumns its key columns in key order
     * @param after the last key already read, as column texts; empty to start at the first key
     * @param size the most keys to return, at least 1
     * @return the next keys in key order; {@linkplain KeyPage#complete() complete} when no key follows them (one
     *     more key is read to know, so a last page that is exactly full is flagged too)
     * @throws IllegalArgumentException if {@code size} is below 1, there are no key columns, or {@code after}
     *     has not one text per key column
     */
    public KeyPage page(TableRef table, List<String> keyColumns, Optional<List<String>> after, int size) {
        if (size < 1 || keyColumns.isEmpty() || after.isPresent() && after.get().size() != keyColumns.size()) {
            throw new IllegalArgumentException("key page of '" + table + "': expected a size of at least 1 (got " + size
                    + ") and a key of " + keyColumns.size() + " columns " + keyColumns + " (after " + after.orElse(List.of())
                    + ")");
        }
        return session.read("reading keys of '" + table + "'", connection -> {
            Catalog catalog = Catalog.read(connection, List.of(table));
            List<String> selected = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            List<String> bounds = new ArrayList<>();
            for (String column : keyColumns) {
                selected.add("CAST(" + Sql.column("t", column) + " AS text)");
                columns.add(Sql.column("t", column));
                bounds.add("CAST(CAST(? AS text) AS " + catalog.typeOf(table, column) + ")");
            }
            String tuple = "(" + String.join(", ", columns) + ")";
            String sql = "SELECT " + String.join(", ", selected) + " FROM " + Sql.table(table) + " AS t"
                    + (after.isPresent() ? " WHERE " + tuple + " > (" + String.join(", ", bounds) + ")" : "")
                    + " ORDER BY " + String.join(", ", columns) + " LIMIT ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                if (after.isPresent()) {
                    for (String value : after.get()) {
                        statement.setString(index++, value);
                    }
                }
                statement.setLong(index, size + 1L);
                try (ResultSet rows = statement.executeQuery()) {
                    List<List<String>> keys = new ArrayList<>();
                    while (keys.size() < size && rows.next()) {
                        List<String> key = new ArrayList<>();
                        for (int i = 1; i <= keyColumns.size(); i++) {
                            key.add(rows.getString(i));
                        }
                        keys.add(List.copyOf(key));
                    }
                    // The one key read beyond the page says whether another page follows.
                    boolean complete = keys.size() < size || !rows.next();
                    return new KeyPage(keys, complete);
                }
            }
        });
    }

    @Override
    public void close() {
        session.close();
    }
}
