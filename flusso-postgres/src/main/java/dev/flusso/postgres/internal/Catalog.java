package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the database declares about the tables an index reads: read once, in two queries. */
public final class Catalog {

    private static final String COLUMNS = """
            WITH RECURSIVE base (oid, base) AS (
              SELECT oid, oid FROM pg_type WHERE typtype <> 'd'
              UNION ALL SELECT d.oid, b.base FROM pg_type d JOIN base b ON b.oid = d.typbasetype WHERE d.typtype = 'd')
            SELECT n.nspname, c.relname, c.relkind::text, c.relreplident::text, a.attname, format_type(a.atttypid, NULL),
                   CASE WHEN e.oid IS NULL THEN t.typname ELSE '_' || e.typname END, t.typcategory::text,
                   coalesce(e.typcategory::text, ' '), a.attnotnull
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN base tb ON tb.oid = a.atttypid
            LEFT JOIN pg_type t ON t.oid = tb.base
            LEFT JOIN base eb ON eb.oid = t.typelem AND t.typcategory = 'A'
            LEFT JOIN pg_type e ON e.oid = eb.base
            WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[])))
            ORDER BY n.nspname, c.relname, a.attnum
            """;

    private static final String INDEXES = """
            SELECT n.nspname, c.relname, i.indisprimary, i.indisunique, i.indisreplident,
                   ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.ord)
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE i.indpred IS NULL AND i.indexprs IS NULL
              AND (n.nspname, c.relname) IN (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[])))
            ORDER BY n.nspname, c.relname, i.indexrelid
            """;

    private final Map<TableRef, Table> tables;

    private Catalog(Map<TableRef, Table> tables) {
        this.tables = tables;
    }

    /** {@return the catalog of these tables; a missing table is simply absent} */
    public static Catalog read(Connection connection, Collection<TableRef> refs) throws SQLException {
        String[] schemas = refs.stream().map(TableRef::schema).toArray(String[]::new);
        String[] names = refs.stream().map(TableRef::name).toArray(String[]::new);
        Map<TableRef, Builder> found = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setArray(1, connection.createArrayOf("text", schemas));
            statement.setArray(2, connection.createArrayOf("text", names));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TableRef ref = new TableRef(rows.getString(1), rows.getString(2));
                    Builder table = found.computeIfAbsent(ref, key -> new Builder());
                    table.kind = rows.getString(3).charAt(0);
                    table.identity = rows.getString(4).charAt(0);
                    String name = rows.getString(5);
                    if (name != null) {
                        table.columns.put(name, new Column(name, rows.getString(6), rows.getString(7),
                                rows.getString(8).charAt(0), rows.getString(9).charAt(0), rows.getBoolean(10)));
                    }
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(INDEXES)) {
            statement.setArray(1, connection.createArrayOf("text", schemas));
            statement.setArray(2, connection.createArrayOf("text", names));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Builder table = found.get(new TableRef(rows.getString(1), rows.getString(2)));
                    List<String> columns = Arrays.asList((String[]) rows.getArray(6).getArray());
                    if (rows.getBoolean(3)) {
                        table.primaryKey = columns;
                    }
                    if (rows.getBoolean(4)) {
                        table.unique.add(columns);
                    }
                    if (rows.getBoolean(5)) {
                        table.identityIndex = columns;
                    }
                }
            }
        }
        Map<TableRef, Table> tables = new HashMap<>();
        found.forEach((ref, t) -> tables.put(ref, new Table(ref, t.kind, t.identity,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(t.columns)),
                List.copyOf(t.primaryKey), List.copyOf(t.unique), List.copyOf(t.identityIndex))));
        return new Catalog(tables);
    }

    public Optional<Table> table(TableRef ref) {
        return Optional.ofNullable(tables.get(ref));
    }

    /** {@return the column, if its table and it exist} */
    public Optional<Column> column(TableRef table, String column) {
        return table(table).flatMap(t -> t.column(column));
    }

    /** {@return the column's type for a cast; {@code text} when unknown, so that a query still says what is wrong} */
    public String typeOf(TableRef table, String column) {
        return column(table, column).map(Column::type).orElse("text");
    }

    /** {@return the table's primary key as the database declares it; empty if none or unknown} */
    public List<String> primaryKey(TableRef table) {
        return table(table).map(Table::primaryKey).orElse(List.of());
    }

    private static final class Builder {
        char kind = 'r';
        char identity = 'd';
        final Map<String, Column> columns = new LinkedHashMap<>();
        List<String> primaryKey = List.of();
        final List<List<String>> unique = new ArrayList<>();
        List<String> identityIndex = List.of();
    }
}
