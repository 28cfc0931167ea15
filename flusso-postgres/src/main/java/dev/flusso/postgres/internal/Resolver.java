package dev.flusso.postgres.internal;

import dev.flusso.api.Change;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Operation;
import dev.flusso.api.Resolution;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the root documents a batch of changes affects, walking each path of an index's tree up to the root: at
 * most one query per node per batch, whatever the number of changes.
 */
public final class Resolver {

    private final Connection connection;
    private final Catalog catalog;

    public Resolver(Connection connection, Catalog catalog) {
        this.connection = connection;
        this.catalog = catalog;
    }

    /** Reports every document of the tree's index that the changes affect. */
    public void resolve(IndexTree tree, List<Change> changes, Resolution out) throws SQLException {
        List<Node> nodes = tree.nodes();
        List<Map<List<String>, Long>> pending = new ArrayList<>();
        List<Map<List<String>, Long>> junctionRows = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            pending.add(new LinkedHashMap<>());
            junctionRows.add(new LinkedHashMap<>());
        }
        long truncated = -1;
        for (Change change : changes) {
            if (change.isSnapshot()) {
                // A backfill row seeds only the index it backfills, whose root table it is from.
                SnapshotPosition position = (SnapshotPosition) change.position();
                if (position.index().equals(tree.index()) && tree.root().table().equals(change.table())) {
                    add(pending.get(0), ChangedRow.after(change, tree.root().key()), change.version());
                }
                continue;
            }
            for (Node node : nodes) {
                if (node.table().equals(change.table())) {
                    if (change.operation() == Operation.TRUNCATE) {
                        // The rows are gone: a child table cannot say whose they were, so every document is rebuilt.
                        // A root table's truncation is the capture's to report (its documents are all deleted).
                        truncated = node.isRoot() ? truncated : Math.max(truncated, change.version());
                    } else if (ChangedRow.touches(change, node.reads(), node.readsAnything())) {
                        seedRow(node, change, pending);
                    }
                }
                if (node.link().kind() == Link.Kind.JUNCTION && node.link().junction().equals(change.table())) {
                    if (change.operation() == Operation.TRUNCATE) {
                        truncated = Math.max(truncated, change.version());
                    } else if (ChangedRow.touches(change, junctionColumns(node), false)) {
                        seedJunction(node, change, pending, junctionRows);
                    }
                }
            }
        }
        for (int i = nodes.size() - 1; i > 0; i--) {
            stepUp(nodes.get(i), pending, junctionRows.get(i));
        }
        pending.get(0).forEach((key, version) -> out.affects(new DocumentId(tree.index(), Ids.encode(key)), version));
        if (truncated >= 0) {
            everyRoot(tree, truncated, out);
        }
    }

    private static List<String> junctionColumns(Node node) {
        List<String> columns = new ArrayList<>(node.link().left());
        columns.addAll(node.link().right());
        return columns;
    }

    private static void seedRow(Node node, Change change, List<Map<List<String>, Long>> pending) {
        List<String> now = ChangedRow.after(change, node.key());
        List<String> before = ChangedRow.before(change, node.key());
        if (node.link().kind() != Link.Kind.CHILD_FK) {
            // The root itself, or a row others point at: its key (old and new) leads up.
            add(pending.get(node.id()), now, change.version());
            add(pending.get(node.id()), before, change.version());
            return;
        }
        Map<List<String>, Long> parent = pending.get(node.parent().id());
        List<String> oldParent = ChangedRow.before(change, node.link().columns());
        List<String> newParent = change.operation() == Operation.DELETE ? null : ChangedRow.after(change, node.link().columns());
        add(parent, oldParent, change.version());
        add(parent, newParent, change.version());
        if (newParent == null && change.operation() != Operation.DELETE) {
            // The capture did not say where the row points now: read it.
            add(pending.get(node.id()), now, change.version());
        }
    }

    private void seedJunction(Node node, Change change, List<Map<List<String>, Long>> pending,
            List<Map<List<String>, Long>> junctionRows) {
        Map<List<String>, Long> parent = pending.get(node.parent().id());
        Link link = node.link();
        add(parent, ChangedRow.before(change, link.left()), change.version());
        if (change.operation() != Operation.DELETE) {
            List<String> now = ChangedRow.after(change, link.left());
            add(parent, now, change.version());
            if (now == null) {
                add(junctionRows.get(node.id()), ChangedRow.after(change, junctionKey(link.junction(), change)),
                        change.version());
            }
        }
    }

    private List<String> junctionKey(TableRef junction, Change change) {
        List<String> key = catalog.primaryKey(junction);
        return key.isEmpty() ? List.copyOf(change.key().keySet()) : key;
    }

    private void stepUp(Node node, List<Map<List<String>, Long>> pending, Map<List<String>, Long> junctionRows)
            throws SQLException {
        Map<List<String>, Long> keys = pending.get(node.id());
        Map<List<String>, Long> parent = pending.get(node.parent().id());
        Link link = node.link();
        if (!junctionRows.isEmpty()) {
            TableRef junction = link.junction();
            List<String> junctionKey = catalog.primaryKey(junction);
            Lookup.rows(connection, catalog, junction, junctionKey, junctionRows.keySet(), link.left(),
                    (in, out) -> add(parent, out, versionOf(junctionRows, in)));
        }
        if (keys.isEmpty()) {
            return;
        }
        switch (link.kind()) {
            case CHILD_FK -> Lookup.rows(connection, catalog, node.table(), node.key(), keys.keySet(), link.columns(),
                    (in, out) -> add(parent, out, versionOf(keys, in)));
            case PARENT_FK -> Lookup.rows(connection, catalog, node.parent().table(), link.columns(), keys.keySet(),
                    node.parent().key(), (in, out) -> add(parent, out, versionOf(keys, in)));
            case JUNCTION -> Lookup.rows(connection, catalog, link.junction(), link.right(), keys.keySet(), link.left(),
                    (in, out) -> add(parent, out, versionOf(keys, in)));
            case ROOT -> throw new IllegalStateException("the root has no parent");
        }
    }

    /** The version of the change that led to this key; the batch's newest when the text differs from the database's. */
    private static long versionOf(Map<List<String>, Long> keys, List<String> key) {
        Long version = keys.get(key);
        return version != null ? version : keys.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static void add(Map<List<String>, Long> keys, List<String> key, long version) {
        if (key != null) {
            keys.merge(key, version, Math::max);
        }
    }

    private void everyRoot(IndexTree tree, long version, Resolution out) throws SQLException {
        Node root = tree.root();
        List<String> columns = root.key().stream().map(column -> "CAST(" + Sql.column("t", column) + " AS text)").toList();
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + Sql.table(root.table()) + " AS t";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(5000);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    List<String> key = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        key.add(rows.getString(i));
                    }
                    out.affects(new DocumentId(tree.index(), Ids.encode(key)), version);
                }
            }
        }
    }
}
