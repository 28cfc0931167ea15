package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import java.util.List;

/**
 * How the rows of a node relate to the rows of its parent node.
 *
 * @param kind which side holds the key
 * @param columns {@link Kind#CHILD_FK}: the node's columns pointing at the parent's key; {@link Kind#PARENT_FK}: the
 *     parent's columns pointing at the node's key; else empty
 * @param junction the junction table of {@link Kind#JUNCTION}, else {@code null}
 * @param left the junction's columns pointing at the parent's key
 * @param right the junction's columns pointing at the node's key
 */
public record Link(Kind kind, List<String> columns, TableRef junction, List<String> left, List<String> right) {

    /** Which side of the relation holds the key. */
    public enum Kind {
        /** The root: no parent. */
        ROOT,
        /** {@code has_one}, {@code has_many}, an aggregate with {@code foreign_key}: the node's row points at the parent. */
        CHILD_FK,
        /** {@code belongs_to}: the parent's row points at the node's row. */
        PARENT_FK,
        /** {@code many_to_many}, an aggregate with {@code through}: a junction row links both. */
        JUNCTION
    }

    static final Link ROOT = new Link(Kind.ROOT, List.of(), null, List.of(), List.of());

    static Link childFk(List<String> columns) {
        return new Link(Kind.CHILD_FK, columns, null, List.of(), List.of());
    }

    static Link parentFk(List<String> columns) {
        return new Link(Kind.PARENT_FK, columns, null, List.of(), List.of());
    }

    static Link junction(TableRef junction, List<String> left, List<String> right) {
        return new Link(Kind.JUNCTION, List.of(), junction, left, right);
    }
}
