package dev.flusso.schema;

/** Where a join's key lives, and how many related rows it folds in. */
public enum JoinKind {
    /** This row's {@code column} points at the related row's primary key; at most one row. */
    BELONGS_TO("belongs_to", false),
    /** The related table's {@code foreign_key} points back at this row; at most one row. */
    HAS_ONE("has_one", false),
    /** The related table's {@code foreign_key} points back at this row; any number of rows. */
    HAS_MANY("has_many", true),
    /** A junction table ({@code through}) links this row to the related rows; any number of rows. */
    MANY_TO_MANY("many_to_many", true);

    private final String tag;
    private final boolean toMany;

    JoinKind(String tag, boolean toMany) {
        this.tag = tag;
        this.toMany = toMany;
    }

    /** {@return the name written in schema files} */
    public String tag() {
        return tag;
    }

    /** {@return whether the join yields a list of rows (a {@code nested} mapping) rather than one} */
    public boolean toMany() {
        return toMany;
    }
}
