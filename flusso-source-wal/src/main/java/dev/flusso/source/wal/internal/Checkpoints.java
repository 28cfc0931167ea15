package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import java.util.ArrayList;
import java.util.List;

/**
 * A backfill checkpoint: the last key read, its values as PostgreSQL writes them, each prefixed with its length so
 * that no character needs escaping ({@code 2:423:abc}). Opaque to everyone but the snapshot.
 */
final class Checkpoints {

    private Checkpoints() {
    }

    static String encode(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String value : values) {
            if (value == null) {
                throw new FlussoException("a key column holds NULL: keyset paging needs non-null keys");
            }
            out.append(value.length()).append(':').append(value);
        }
        return out.toString();
    }

    static List<String> decode(String checkpoint) {
        List<String> values = new ArrayList<>();
        int at = 0;
        try {
            while (at < checkpoint.length()) {
                int colon = checkpoint.indexOf(':', at);
                int length = Integer.parseInt(checkpoint.substring(at, colon));
                values.add(checkpoint.substring(colon + 1, colon + 1 + length));
                at = colon + 1 + length;
            }
        } catch (RuntimeException e) {
            throw new FlussoException("backfill checkpoint '" + checkpoint + "' was not made by the wal capture: re-backfill"
                    + " the index from the start", e);
        }
        return values;
    }
}
