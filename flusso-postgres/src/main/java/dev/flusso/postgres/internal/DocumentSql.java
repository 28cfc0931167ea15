package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import dev.flusso.schema.AggregateField;
import dev.flusso.schema.ConstantField;
import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.GeoField;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.JoinKind;
import dev.flusso.schema.MapField;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.OrderBy;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.ScalarType;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the SQL expression of a document's JSON object: {@code json_build_object} per row, correlated
 * subqueries with {@code json_agg} for joins and aggregates, nested to any depth. Each subquery reads one table in
 * its {@code FROM}, so the unqualified column names of computed fields and raw filters mean that table's columns.
 */
final class DocumentSql {

    // A function takes at most 100 arguments: json_build_object holds 50 keys, more are merged.
    private static final int KEYS_PER_CALL = 50;

    /** A row being read: its alias in the query, its table and its key columns. */
    record Level(String alias, TableRef table, List<String> key) {
    }

    private final Catalog catalog;
    private final String schemaName;
    private int aliases;

    DocumentSql(Catalog catalog, String schemaName) {
        this.catalog = catalog;
        this.schemaName = schemaName;
    }

    String newAlias() {
        return "t" + aliases++;
    }

    /** Appends the JSON object of the fields of the level's row. */
    void object(List<Field> fields, Level level, Sql out) {
        if (fields.size() <= KEYS_PER_CALL) {
            objectCall(fields, level, out);
            return;
        }
        // Merging as jsonb sorts the keys; only documents of more than 50 fields at one level pay for it.
        out.add("CAST((");
        for (int start = 0; start < fields.size(); start += KEYS_PER_CALL) {
            out.add(start == 0 ? "" : " || ").add("CAST(");
            objectCall(fields.subList(start, Math.min(fields.size(), start + KEYS_PER_CALL)), level, out);
            out.add(" AS jsonb)");
        }
        out.add(") AS json)");
    }

    private void objectCall(List<Field> fields, Level level, Sql out) {
        out.add("json_build_object(");
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            out.add(i == 0 ? "" : ", ").param(field.name()).add("::text, ");
            value(field, level, out);
        }
        out.add(")");
    }

    /** Appends the value of one field, an SQL NULL for an absent value. */
    void value(Field field, Level level, Sql out) {
        if (field instanceof ScalarField scalar) {
            String source = source(scalar.column(), scalar.expression(), level);
            defaulted("to_json(" + Values.convert(source, scalar.type(), scalar.array(), scalar.transforms()) + ")",
                    scalar.defaultValue(), out);
        } else if (field instanceof CustomField custom) {
            defaulted("to_json(" + source(custom.column(), custom.expression(), level) + ")", custom.defaultValue(), out);
        } else if (field instanceof GeoField geo) {
            geo(geo, level, out);
        } else if (field instanceof MapField map) {
            out.add("to_json(" + Sql.column(level.alias(), map.column()) + ")");
        } else if (field instanceof ConstantField constant) {
            out.add("CAST(").param(Json.write(constant.value())).add(" AS json)");
        } else if (field instanceof ObjectField object) {
            object(object.fields(), level, out);
        } else if (field instanceof JoinField join) {
            join(join, level, out);
        } else if (field instanceof AggregateField aggregate) {
            aggregate(aggregate, level, out);
        }
    }

    private static String source(String column, String expression, Level level) {
        return column != null ? Sql.column(level.alias(), column) : "(" + expression + ")";
    }

    private static void defaulted(String json, Object defaultValue, Sql out) {
        if (defaultValue == null) {
            out.add(json);
        } else {
            out.add("coalesce(" + json + ", CAST(").param(Json.write(defaultValue)).add(" AS json))");
        }
    }

    private void geo(GeoField geo, Level level, Sql out) {
        if (geo.column() == null) {
            String lat = Sql.column(level.alias(), geo.lat());
            String lon = Sql.column(level.alias(), geo.lon());
            out.add("CASE WHEN " + lat + " IS NULL OR " + lon + " IS NULL THEN NULL ELSE json_build_object('lat', "
                    + lat + ", 'lon', " + lon + ") END");
            return;
        }
        String column = Sql.column(level.alias(), geo.column());
        String type = catalog.column(level.table(), geo.column()).map(Column::typeName).orElse("");
        switch (type) {
            // point is (x, y): longitude first.
            case "point" -> out.add("CASE WHEN " + column + " IS NULL THEN NULL ELSE json_build_object('lat', "
                    + column + "[1], 'lon', " + column + "[0]) END");
            case "geometry", "geography" -> out.add("CASE WHEN " + column + " IS NULL THEN NULL ELSE json_build_object("
                    + "'lat', ST_Y(CAST(" + column + " AS geometry)), 'lon', ST_X(CAST(" + column + " AS geometry))) END");
            // text ("lat,lon", a geohash) and json ({"lat":…,"lon":…}) are forms OpenSearch reads as they are.
            default -> out.add("to_json(" + column + ")");
        }
    }

    private void join(JoinField join, Level parent, Sql out) {
        Level level = new Level(newAlias(), new TableRef(schemaName, join.table()), join.primaryKey());
        Sql where = new Sql();
        switch (join.kind()) {
            case BELONGS_TO -> pairs(level.alias(), join.primaryKey(), parent.alias(), join.key(), where);
            case HAS_ONE, HAS_MANY -> pairs(level.alias(), join.key(), parent.alias(), parent.key(), where);
            case MANY_TO_MANY -> throughCondition(level, join.through(), parent, where);
        }
        where.add(" AND ");
        FilterSql.all(join.filters(), level.alias(), where);
        String from = " FROM " + Sql.table(level.table()) + " AS " + level.alias() + " WHERE ";
        String order = orderBy(join.orderBy(), level);
        if (!join.kind().toMany()) {
            out.add("(SELECT ");
            object(join.fields(), level, out);
            out.add(from).add(where).add(join.kind() == JoinKind.BELONGS_TO ? "" : " ORDER BY " + order).add(" LIMIT 1)");
        } else if (join.limit() == null) {
            out.add("(SELECT coalesce(json_agg(");
            object(join.fields(), level, out);
            out.add(" ORDER BY " + order + "), '[]'::json)" + from).add(where).add(")");
        } else {
            out.add("(SELECT coalesce(json_agg(flusso_s.flusso_o ORDER BY flusso_s.flusso_n), '[]'::json) FROM (SELECT ");
            object(join.fields(), level, out);
            out.add(" AS flusso_o, row_number() OVER (ORDER BY " + order + ") AS flusso_n" + from).add(where)
                    .add(" ORDER BY " + order + " LIMIT ").param(join.limit()).add(") AS flusso_s)");
        }
    }

    /** The declared order, then the key: documents must not depend on the order rows happen to be read in. */
    private static String orderBy(List<OrderBy> orderBy, Level level) {
        List<String> terms = new ArrayList<>();
        for (OrderBy term : orderBy) {
            terms.add(Sql.column(level.alias(), term.column()) + (term.descending() ? " DESC" : ""));
        }
        for (String column : level.key()) {
            terms.add(Sql.column(level.alias(), column));
        }
        return terms.isEmpty() ? "1" : String.join(", ", terms);
    }

    private void aggregate(AggregateField aggregate, Level parent, Sql out) {
        TableRef table = new TableRef(schemaName, aggregate.table());
        Level level = new Level(newAlias(), table, catalog.primaryKey(table));
        Sql where = new Sql();
        if (aggregate.through() != null) {
            throughCondition(level, aggregate.through(), parent, where);
        } else {
            pairs(level.alias(), aggregate.foreignKey(), parent.alias(), parent.key(), where);
        }
        where.add(" AND ");
        FilterSql.all(aggregate.filters(), level.alias(), where);
        String column = aggregate.column() == null ? null : Sql.column(level.alias(), aggregate.column());
        String value = switch (aggregate.op()) {
            case COUNT -> "count(*)";
            case SUM -> Values.convert("sum(" + column + ")", valueType(aggregate), false, List.of());
            case AVG -> "avg(" + column + ")";
            case MIN -> Values.convert("min(" + column + ")", valueType(aggregate), false, List.of());
            case MAX -> Values.convert("max(" + column + ")", valueType(aggregate), false, List.of());
            case IDS -> "coalesce(json_agg(" + idValue(aggregate, level) + " ORDER BY "
                    + orderBy(List.of(), level) + "), '[]'::json)";
        };
        out.add("(SELECT " + value + " FROM " + Sql.table(table) + " AS " + level.alias() + " WHERE ").add(where).add(")");
    }

    private static ScalarType valueType(AggregateField aggregate) {
        return aggregate.valueType() == null ? ScalarType.DOUBLE : aggregate.valueType();
    }

    private static String idValue(AggregateField aggregate, Level level) {
        if (level.key().size() == 1) {
            ScalarType type = aggregate.elementType() == null ? ScalarType.KEYWORD : aggregate.elementType();
            return Values.convert(Sql.column(level.alias(), level.key().get(0)), type, false, List.of());
        }
        return Ids.sqlEncoding(level.alias(), level.key());
    }

    private void throughCondition(Level level, dev.flusso.schema.Through through, Level parent, Sql where) {
        String junction = newAlias();
        // The select list is the bare columns: parenthesised, several would be one row-valued column.
        where.add(tuple(level.alias(), level.key()) + " IN (SELECT " + columns(junction, through.rightKey()) + " FROM "
                + Sql.table(new TableRef(schemaName, through.table())) + " AS " + junction + " WHERE ");
        pairs(junction, through.leftKey(), parent.alias(), parent.key(), where);
        where.add(")");
    }

    private static String tuple(String alias, List<String> columns) {
        return columns.size() == 1 ? columns(alias, columns) : "(" + columns(alias, columns) + ")";
    }

    private static String columns(String alias, List<String> columns) {
        return String.join(", ", columns.stream().map(column -> Sql.column(alias, column)).toList());
    }

    /** Appends {@code a.x1 = b.y1 AND a.x2 = b.y2 …}. */
    private static void pairs(String leftAlias, List<String> left, String rightAlias, List<String> right, Sql out) {
        if (left.isEmpty() || left.size() != right.size()) {
            out.add("FALSE");
            return;
        }
        for (int i = 0; i < left.size(); i++) {
            out.add((i == 0 ? "" : " AND ") + Sql.column(leftAlias, left.get(i)) + " = " + Sql.column(rightAlias, right.get(i)));
        }
    }
}
