package dev.flusso.schema;

import java.util.Optional;

/** The operator of a column filter, and how many values it takes. */
public enum FilterOp {
    EQ(Arity.ONE), NEQ(Arity.ONE), LT(Arity.ONE), LTE(Arity.ONE), GT(Arity.ONE), GTE(Arity.ONE),
    LIKE(Arity.ONE), ILIKE(Arity.ONE),
    IN(Arity.LIST), NOT_IN(Arity.LIST),
    BETWEEN(Arity.TWO),
    IS_NULL(Arity.NONE), IS_NOT_NULL(Arity.NONE);

    /** How many values an operator takes. */
    public enum Arity { NONE, ONE, TWO, LIST }

    private final Arity arity;

    FilterOp(Arity arity) {
        this.arity = arity;
    }

    public Arity arity() {
        return arity;
    }

    /** {@return the name written in schema files} */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@return the operator written as {@code tag}, if any} */
    public static Optional<FilterOp> fromTag(String tag) {
        for (FilterOp op : values()) {
            if (op.tag().equals(tag)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
