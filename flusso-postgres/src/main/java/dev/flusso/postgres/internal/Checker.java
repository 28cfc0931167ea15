package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import dev.flusso.postgres.CheckProblem;
import dev.flusso.schema.AggregateField;
import dev.flusso.schema.AggregateOp;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.Filter;
import dev.flusso.schema.GeoField;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.JoinKind;
import dev.flusso.schema.MapField;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.OrderBy;
import dev.flusso.schema.ScalarField;
import dev.flusso.schema.ScalarType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Checks index schemas against the live database's catalog. */
public final class Checker {

    private final String index;
    private final String schemaName;
    private final Catalog catalog;
    private final List<CheckProblem> problems = new ArrayList<>();

    private Checker(String index, String schemaName, Catalog catalog) {
        this.index = index;
        this.schemaName = schemaName;
        this.catalog = catalog;
    }

    public static List<CheckProblem> check(List<CompiledIndex> indexes, Catalog catalog) {
        List<CheckProblem> problems = new ArrayList<>();
        for (CompiledIndex compiled : indexes) {
            Checker checker = new Checker(compiled.name(), compiled.schema().schema(), catalog);
            checker.index(compiled.schema());
            problems.addAll(checker.problems);
        }
        return List.copyOf(problems);
    }

    private void index(IndexSchema schema) {
        TableRef root = new TableRef(schemaName, schema.table());
        if (!table(root)) {
            return;
        }
        key(root, schema.primaryKey(), "primary_key");
        filters(root, schema.filters());
        if (schema.softDelete() != null) {
            column(root, schema.softDelete().column());
            filters(root, schema.softDelete().when());
        }
        fields(root, schema.fields());
    }

    private void fields(TableRef table, List<Field> fields) {
        for (Field field : fields) {
            if (field instanceof ScalarField scalar) {
                scalar(table, scalar);
            } else if (field instanceof CustomField custom && custom.column() != null) {
                column(table, custom.column());
            } else if (field instanceof GeoField geo) {
                for (String column : new String[] {geo.column(), geo.lat(), geo.lon()}) {
                    if (column != null) {
                        column(table, column);
                    }
                }
            } else if (field instanceof MapField map) {
                column(table, map.column()).filter(c -> !c.typeName().equals("json") && !c.typeName().equals("jsonb"))
                        .ifPresent(c -> add(table, c.name(), "has type " + c.type() + " but map field '" + map.name()
                                + "' reads a JSON object", "make the column json or jsonb, or read it with another field type"));
            } else if (field instanceof ObjectField object) {
                fields(table, object.fields());
            } else if (field instanceof JoinField join) {
                join(table, join);
            } else if (field instanceof AggregateField aggregate) {
                aggregate(table, aggregate);
            }
        }
    }

    private void scalar(TableRef table, ScalarField field) {
        if (field.column() == null) {
            return;
        }
        column(table, field.column()).ifPresent(column -> {
            String typeName = column.isArray() ? column.typeName().substring(1) : column.typeName();
            char category = column.isArray() ? column.elementCategory() : column.category();
            if (field.array() != column.isArray()) {
                add(table, column.name(), "has type " + column.type() + " but field '" + field.name() + "' is declared "
                        + (field.array() ? "an array (" + field.type().tag() + "[])" : field.type().tag()),
                        field.array() ? "declare the field " + field.type().tag() : "declare the field " + field.type().tag() + "[]");
            } else if (!ColumnTypes.fits(field.type(), typeName, category)) {
                add(table, column.name(), "has type " + column.type() + " but field '" + field.name() + "' is declared "
                        + field.type().tag() + ", which reads " + ColumnTypes.expected(field.type()),
                        "declare the field with the column's type, or change the column");
            }
            if (!field.nullable() && field.defaultValue() == null && !column.notNull()
                    && !catalog.primaryKey(table).contains(column.name())) {
                add(table, column.name(), "is nullable but field '" + field.name() + "' is required",
                        "add NOT NULL to the column, give the field a default, or drop required");
            }
        });
    }

    private void join(TableRef parent, JoinField join) {
        TableRef table = new TableRef(schemaName, join.table());
        if (!table(table)) {
            return;
        }
        key(table, join.primaryKey(), join.kind().tag() + " '" + join.name() + "' primary_key");
        switch (join.kind()) {
            case BELONGS_TO -> join.key().forEach(column -> column(parent, column));
            case HAS_ONE, HAS_MANY -> {
                join.key().forEach(column -> column(table, column));
                identity(table, join.key(), join.kind().tag() + " '" + join.name() + "'");
            }
            case MANY_TO_MANY -> through(join.through(), join.kind().tag() + " '" + join.name() + "'");
        }
        filters(table, join.filters());
        join.orderBy().stream().map(OrderBy::column).forEach(column -> column(table, column));
        fields(table, join.fields());
    }

    private void aggregate(TableRef parent, AggregateField aggregate) {
        TableRef table = new TableRef(schemaName, aggregate.table());
        if (!table(table)) {
            return;
        }
        String what = aggregate.op().tag() + " '" + aggregate.name() + "'";
        if ((aggregate.op() == AggregateOp.IDS || aggregate.through() != null) && catalog.primaryKey(table).isEmpty()) {
            add(table, "", "has no primary key, which " + what + " needs to name its rows",
                    "add a primary key to the table");
        }
        if (aggregate.column() != null) {
            column(table, aggregate.column());
        }
        if (aggregate.through() != null) {
            through(aggregate.through(), what);
        } else {
            aggregate.foreignKey().forEach(column -> column(table, column));
            identity(table, aggregate.foreignKey(), what);
        }
        filters(table, aggregate.filters());
    }

    private void through(dev.flusso.schema.Through through, String what) {
        TableRef junction = new TableRef(schemaName, through.table());
        if (table(junction)) {
            through.leftKey().forEach(column -> column(junction, column));
            through.rightKey().forEach(column -> column(junction, column));
            List<String> both = new ArrayList<>(through.leftKey());
            both.addAll(through.rightKey());
            identity(junction, both, what);
        }
    }

    private void filters(TableRef table, List<Filter> filters) {
        filters.stream().filter(filter -> filter.column() != null).forEach(filter -> column(table, filter.column()));
    }

    private boolean table(TableRef table) {
        Optional<Table> found = catalog.table(table);
        if (found.isEmpty()) {
            add(table, "", "does not exist", "create the table, or fix the table name (and schema) in the index schema");
            return false;
        }
        if (found.get().replicaIdentity() == 'n') {
            add(table, "", "has REPLICA IDENTITY NOTHING, so its updates and deletions carry no key",
                    "ALTER TABLE " + Sql.table(table) + " REPLICA IDENTITY DEFAULT (or FULL)");
        }
        return true;
    }

    private Optional<Column> column(TableRef table, String name) {
        Optional<Column> column = catalog.column(table, name);
        if (column.isEmpty() && catalog.table(table).isPresent()) {
            add(table, name, "does not exist", "add the column, or fix its name in the index schema");
        }
        return column;
    }

    private void key(TableRef table, List<String> declared, String what) {
        declared.forEach(column -> column(table, column));
        Table found = catalog.table(table).orElseThrow();
        if (declared.isEmpty() || found.primaryKey().equals(declared)) {
            return;
        }
        boolean unique = found.uniqueKeys().stream().anyMatch(key -> new HashSet<>(key).equals(new HashSet<>(declared)))
                && declared.stream().allMatch(c -> found.column(c).map(Column::notNull).orElse(false));
        if (!unique) {
            add(table, String.join(", ", declared), what + " is not the table's primary key ("
                    + (found.primaryKey().isEmpty() ? "it has none" : String.join(", ", found.primaryKey()))
                    + ") nor a unique index of NOT NULL columns",
                    "declare the table's primary key in the index schema, or add a primary key or unique index on these columns");
        }
    }

    /** A deletion (or a move) of a row that points at its parent is resolved from the old row's foreign key. */
    private void identity(TableRef table, List<String> columns, String what) {
        Optional<Table> found = catalog.table(table);
        if (found.isEmpty() || columns.isEmpty()) {
            return;
        }
        List<String> identity = found.get().identityColumns();
        List<String> missing = columns.stream().filter(column -> !identity.contains(column)).toList();
        if (!missing.isEmpty()) {
            problems.add(new CheckProblem(index, table.toString(), String.join(", ", missing), "is not in the table's"
                    + " replica identity, so when a row is deleted or moved the capture cannot say which document " + what
                    + " belonged to, and that document stays stale", "ALTER TABLE " + Sql.table(table) + " REPLICA IDENTITY FULL",
                    false));
        }
    }

    private void add(TableRef table, String column, String message, String fix) {
        problems.add(new CheckProblem(index, table.toString(), column, message, fix));
    }

}
