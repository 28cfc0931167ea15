package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import dev.flusso.schema.AggregateField;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every table occurrence of one index, parents before children: what resolve walks up. */
public final class IndexTree {

    private final String index;
    private final List<Node> nodes = new ArrayList<>();

    private IndexTree(String index) {
        this.index = index;
    }

    /** {@return the tree of the index; the catalog supplies aggregate tables' primary keys, which schemas omit} */
    public static IndexTree of(CompiledIndex compiled, Catalog catalog) {
        IndexTree tree = new IndexTree(compiled.name());
        IndexSchema schema = compiled.schema();
        Reads reads = new Reads();
        reads.columns.addAll(schema.primaryKey());
        reads.filters(schema.filters(), true);
        if (schema.softDelete() != null) {
            reads.columns.add(schema.softDelete().column());
            reads.relating.add(schema.softDelete().column());
            reads.filters(schema.softDelete().when(), true);
        }
        reads.fields(schema.fields());
        Node root = new Node(0, new TableRef(schema.schema(), schema.table()), schema.primaryKey(), Link.ROOT, null, 0,
                Set.copyOf(reads.columns), reads.anything, reads.relatingWith(schema.primaryKey()));
        tree.nodes.add(root);
        tree.children(root, schema.schema(), schema.fields(), catalog);
        return tree;
    }

    private void children(Node parent, String schemaName, List<Field> fields, Catalog catalog) {
        for (Field field : fields) {
            if (field instanceof ObjectField object) {
                children(parent, schemaName, object.fields(), catalog);
            } else if (field instanceof JoinField join) {
                join(parent, schemaName, join, catalog);
            } else if (field instanceof AggregateField aggregate) {
                aggregate(parent, schemaName, aggregate, catalog);
            }
        }
    }

    private void join(Node parent, String schemaName, JoinField join, Catalog catalog) {
        TableRef table = new TableRef(schemaName, join.table());
        Reads reads = new Reads();
        reads.columns.addAll(join.primaryKey());
        Link link = link(join.kind() == JoinKind.BELONGS_TO, join.kind() == JoinKind.MANY_TO_MANY, join.key(),
                join.through(), schemaName);
        if (link.kind() == Link.Kind.CHILD_FK) {
            reads.columns.addAll(join.key());
            reads.relating.addAll(join.key());
        }
        reads.filters(join.filters(), true);
        join.orderBy().stream().map(OrderBy::column).forEach(reads.columns::add);
        reads.fields(join.fields());
        Node node = new Node(nodes.size(), table, join.primaryKey(), link, parent, parent.depth() + 1,
                Set.copyOf(reads.columns), reads.anything, reads.relatingWith(join.primaryKey()));
        nodes.add(node);
        children(node, schemaName, join.fields(), catalog);
    }

    private void aggregate(Node parent, String schemaName, AggregateField aggregate, Catalog catalog) {
        TableRef table = new TableRef(schemaName, aggregate.table());
        List<String> key = catalog.primaryKey(table);
        Reads reads = new Reads();
        reads.columns.addAll(key);
        Link link = link(false, aggregate.through() != null, aggregate.foreignKey(), aggregate.through(), schemaName);
        reads.columns.addAll(aggregate.foreignKey());
        reads.relating.addAll(aggregate.foreignKey());
        if (aggregate.column() != null) {
            reads.columns.add(aggregate.column());
        }
        reads.filters(aggregate.filters(), true);
        nodes.add(new Node(nodes.size(), table, key, link, parent, parent.depth() + 1, Set.copyOf(reads.columns),
                reads.anything, reads.relatingWith(key)));
    }

    private static Link link(boolean belongsTo, boolean junction, List<String> key, dev.flusso.schema.Through through,
            String schemaName) {
        if (junction) {
            return Link.junction(new TableRef(schemaName, through.table()), through.leftKey(), through.rightKey());
        }
        return belongsTo ? Link.parentFk(key) : Link.childFk(key);
    }

    public String index() {
        return index;
    }

    /** {@return the nodes, the root first, every parent before its children} */
    public List<Node> nodes() {
        return nodes;
    }

    public Node root() {
        return nodes.get(0);
    }

    /** The columns one level of fields reads from its own row, and those that relate it. */
    private static final class Reads {
        final Set<String> columns = new LinkedHashSet<>();
        final Set<String> relating = new LinkedHashSet<>();
        boolean anything;

        void filters(List<Filter> filters, boolean relate) {
            for (Filter filter : filters) {
                if (filter.raw() != null) {
                    anything = true;
                } else {
                    columns.add(filter.column());
                    if (relate) {
                        relating.add(filter.column());
                    }
                }
            }
        }

        void fields(List<Field> fields) {
            for (Field field : fields) {
                if (field instanceof ScalarField scalar) {
                    column(scalar.column(), scalar.expression());
                } else if (field instanceof CustomField custom) {
                    column(custom.column(), custom.expression());
                } else if (field instanceof GeoField geo) {
                    for (String column : new String[] {geo.column(), geo.lat(), geo.lon()}) {
                        if (column != null) {
                            columns.add(column);
                        }
                    }
                } else if (field instanceof MapField map) {
                    columns.add(map.column());
                } else if (field instanceof ObjectField object) {
                    fields(object.fields());
                } else if (field instanceof JoinField join) {
                    // A belongs_to is keyed by this row's columns; the other joins by this row's key, read already.
                    if (join.kind() == JoinKind.BELONGS_TO) {
                        columns.addAll(join.key());
                    }
                }
            }
        }

        private void column(String column, String expression) {
            if (column != null) {
                columns.add(column);
            } else if (expression != null) {
                anything = true;
            }
        }

        Set<String> relatingWith(List<String> key) {
            Set<String> all = new LinkedHashSet<>(key);
            all.addAll(relating);
            return Set.copyOf(all);
        }
    }
}
