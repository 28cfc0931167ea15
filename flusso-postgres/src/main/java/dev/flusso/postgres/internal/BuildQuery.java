package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.GeoField;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.MapField;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.SoftDelete;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one query that builds a batch of an index's documents. Its first parameters are the requested keys, one
 * {@code text[]} per key column; it returns per found root row: the request's ordinal, whether the row is live
 * (inside the root filters, not soft-deleted), the numbers of required fields found null, and the document.
 *
 * @param index the index name
 * @param sql the query
 * @param parameters the parameters after the key arrays
 * @param keyArity the number of key columns
 * @param required the root's required fields, each as its quoted name and what it reads ({@code 'name' (column
 *     'name')}), numbered from 1 in the query's result
 */
public record BuildQuery(String index, String sql, List<Object> parameters, int keyArity, List<String> required) {

    public static BuildQuery of(CompiledIndex compiled, Catalog catalog) {
        IndexSchema schema = compiled.schema();
        TableRef root = new TableRef(schema.schema(), schema.table());
        List<String> key = schema.primaryKey();
        DocumentSql documents = new DocumentSql(catalog, schema.schema());
        DocumentSql.Level level = new DocumentSql.Level(documents.newAlias(), root, key);
        String t = level.alias();

        Sql sql = new Sql().add("WITH flusso_req AS (SELECT * FROM unnest(");
        List<String> requestColumns = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            sql.add(i == 0 ? "" : ", ").add("CAST(? AS text[])");
            requestColumns.add("flusso_k" + i);
        }
        sql.add(") WITH ORDINALITY AS flusso_r(" + String.join(", ", requestColumns) + ", flusso_ord))\n");
        sql.add("SELECT flusso_req.flusso_ord, flusso_l.flusso_live, CASE WHEN flusso_l.flusso_live THEN ");
        List<String> required = new ArrayList<>();
        requiredCheck(schema.fields(), level, documents, sql, required);
        sql.add(" END, CASE WHEN flusso_l.flusso_live THEN CAST(");
        documents.object(schema.fields(), level, sql);
        sql.add(" AS text) END\nFROM flusso_req JOIN " + Sql.table(root) + " AS " + t + " ON ");
        for (int i = 0; i < key.size(); i++) {
            sql.add((i == 0 ? "" : " AND ") + Sql.column(t, key.get(i)) + " = CAST(flusso_req.flusso_k" + i + " AS "
                    + catalog.typeOf(root, key.get(i)) + ")");
        }
        sql.add("\nCROSS JOIN LATERAL (SELECT coalesce(");
        FilterSql.all(schema.filters(), t, sql);
        sql.add(", FALSE)");
        if (schema.softDelete() != null) {
            sql.add(" AND NOT (");
            softDeleted(schema.softDelete(), root, t, catalog, sql);
            sql.add(")");
        }
        sql.add(" AS flusso_live) AS flusso_l");
        List<Object> all = sql.parameters();
        return new BuildQuery(compiled.name(), sql.text(), all, key.size(), List.copyOf(required));
    }

    private static void softDeleted(SoftDelete softDelete, TableRef root, String alias, Catalog catalog, Sql sql) {
        String marker = Sql.column(alias, softDelete.column());
        boolean bool = catalog.column(root, softDelete.column()).map(c -> c.category() == 'B').orElse(false);
        String deleted;
        if (bool) {
            deleted = marker + (softDelete.deletedWhen() ? " IS TRUE" : " IS FALSE");
        } else {
            // A marker of another type (a timestamp, say) is set when not null.
            deleted = marker + (softDelete.deletedWhen() ? " IS NOT NULL" : " IS NULL");
        }
        sql.add(deleted);
        if (!softDelete.when().isEmpty()) {
            sql.add(" AND coalesce(");
            FilterSql.all(softDelete.when(), alias, sql);
            sql.add(", FALSE)");
        }
    }

    /** Appends an {@code int[]} of the numbers of the required root fields whose value is null. */
    private static void requiredCheck(List<Field> fields, DocumentSql.Level level, DocumentSql documents, Sql sql,
            List<String> required) {
        Sql checks = new Sql();
        collectRequired(fields, level, documents, checks, required, "");
        if (required.isEmpty()) {
            sql.add("CAST(NULL AS int[])");
        } else {
            sql.add("array_remove(ARRAY[").add(checks).add("]::int[], NULL)");
        }
    }

    private static void collectRequired(List<Field> fields, DocumentSql.Level level, DocumentSql documents, Sql checks,
            List<String> required, String prefix) {
        for (Field field : fields) {
            if (field instanceof ObjectField object) {
                collectRequired(object.fields(), level, documents, checks, required, prefix + field.name() + ".");
            } else if (isRequired(field)) {
                required.add("'" + prefix + field.name() + "' (" + source(field) + ")");
                checks.add(required.size() == 1 ? "" : ", ").add("CASE WHEN ");
                documents.value(field, level, checks);
                checks.add(" IS NULL THEN " + required.size() + " END");
            }
        }
    }

    /** {@return what a required field reads, for the message that names it when it is null} */
    private static String source(Field field) {
        if (field instanceof ScalarField scalar) {
            return scalar.column() != null ? "column '" + scalar.column() + "'" : "expression " + scalar.expression();
        } else if (field instanceof CustomField custom) {
            return custom.column() != null ? "column '" + custom.column() + "'" : "expression " + custom.expression();
        } else if (field instanceof GeoField geo) {
            return geo.column() != null ? "column '" + geo.column() + "'" : "columns '" + geo.lat() + "', '" + geo.lon() + "'";
        } else if (field instanceof MapField map) {
            return "column '" + map.column() + "'";
        }
        JoinField join = (JoinField) field;
        return join.kind().name().toLowerCase(Locale.ROOT) + " row of table '" + join.table() + "' by column"
                + (join.key().size() == 1 ? " '" + join.key().get(0) + "'" : "s " + join.key());
    }

    private static boolean isRequired(Field field) {
        if (field instanceof ScalarField scalar) {
            return !scalar.nullable() && scalar.defaultValue() == null;
        } else if (field instanceof CustomField custom) {
            return !custom.nullable() && custom.defaultValue() == null;
        } else if (field instanceof GeoField geo) {
            return !geo.nullable();
        } else if (field instanceof MapField map) {
            return !map.nullable();
        } else if (field instanceof JoinField join) {
            return !join.kind().toMany() && !join.nullable();
        }
        return false;
    }
}
