package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import java.util.List;
import java.util.Set;

/**
 * One table occurrence in an index's tree: the root, a join or an aggregate, with how it reaches its parent and
 * which of its table's columns the index reads (for column-aware resolve).
 *
 * @param id a number unique in its index, parents before children
 * @param table the table
 * @param key the columns that identify a row: the primary key (declared, or from the catalog for an aggregate)
 * @param link how a row relates to the parent's row
 * @param parent the parent node, or {@code null} for the root
 * @param depth 0 for the root
 * @param reads the columns of {@code table} the index reads at this node, including the relating ones
 * @param readsAnything whether a computed expression or raw filter reads columns we cannot name
 * @param relating the columns whose old value resolve needs: keys, foreign keys, filter and soft-delete columns
 */
public record Node(int id, TableRef table, List<String> key, Link link, Node parent, int depth, Set<String> reads,
        boolean readsAnything, Set<String> relating) {

    public boolean isRoot() {
        return parent == null;
    }

    @Override
    public String toString() {
        return "node " + id + " (" + table + ", " + link.kind() + ")";
    }
}
