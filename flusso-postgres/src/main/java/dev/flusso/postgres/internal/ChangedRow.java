package dev.flusso.postgres.internal;

import dev.flusso.api.Change;
import dev.flusso.api.Operation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What resolve reads from a {@link Change}: the values of named columns before and after, as text. */
final class ChangedRow {

    private ChangedRow() {
    }

    /** {@return the columns' values after the change (from its key, then its new values), or null if one is unknown} */
    static List<String> after(Change change, List<String> columns) {
        return values(columns, change.key(), change.newValues());
    }

    /** {@return the columns' values before the change, or null if the change does not carry them all} */
    static List<String> before(Change change, List<String> columns) {
        if (change.operation() == Operation.DELETE) {
            return values(columns, change.key(), change.oldValues());
        }
        return values(columns, Map.of(), change.oldValues());
    }

    private static List<String> values(List<String> columns, Map<String, Object> first, Map<String, Object> second) {
        if (columns.isEmpty()) {
            return null;
        }
        List<String> values = new ArrayList<>(columns.size());
        for (String column : columns) {
            Object value = first.containsKey(column) ? first.get(column) : second.get(column);
            if (value == null) {
                return null;
            }
            values.add(text(value));
        }
        return values;
    }

    /** {@return the value as PostgreSQL writes it in text, for the types captures deliver} */
    static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        return value.toString();
    }

    /**
     * {@return whether an update may change what the index reads: a column read is known unchanged only when the
     * change carries it before and after with equal values; a key column absent from the old values is unchanged}
     */
    static boolean touches(Change change, Collection<String> reads, boolean readsAnything) {
        if (change.operation() != Operation.UPDATE) {
            return true;
        }
        if (readsAnything) {
            return true;
        }
        Map<String, Object> before = change.oldValues();
        Map<String, Object> after = change.newValues();
        for (String column : reads) {
            boolean key = change.key().containsKey(column);
            if (!key && (!before.containsKey(column) || !after.containsKey(column))) {
                return true;
            }
            Object old = before.containsKey(column) ? before.get(column) : change.key().get(column);
            Object now = change.key().containsKey(column) ? change.key().get(column) : after.get(column);
            if (!Objects.deepEquals(old, now)) {
                return true;
            }
        }
        return false;
    }
}
