package dev.flusso.postgres;

import dev.flusso.postgres.internal.Ids;
import java.util.List;
import java.util.Optional;

/**
 * Document ids from root primary keys, as this builder makes them; captures use the same encoding for snapshot
 * checkpoints. One key column: its text form as PostgreSQL writes it ({@code 42}, a uuid, a string). Several:
 * each column's text with {@code \} written {@code \\} and {@code |} written {@code \|}, joined by {@code |}.
 */
public final class DocumentIds {

    private DocumentIds() {
    }

    /** {@return the id of the key given as each column's text, in key order} */
    public static String encode(List<String> key) {
        return Ids.encode(key);
    }

    /** {@return the key columns' texts, or empty if the id does not encode a key of {@code arity} columns} */
    public static Optional<List<String>> decode(String id, int arity) {
        return Ids.decode(id, arity);
    }
}
