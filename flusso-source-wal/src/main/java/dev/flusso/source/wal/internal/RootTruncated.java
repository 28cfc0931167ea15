package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.TableRef;
import java.util.List;

/**
 * A root table was truncated: the documents of its vanished rows can no longer be named, so the stream cannot carry
 * their deletions. The capture ends the run and makes the next one rebuild every index (see {@link WalCapture}).
 */
final class RootTruncated extends FlussoException {
    private static final long serialVersionUID = 1L;

    private final transient TableRef table;
    private final long commitLsn;

    RootTruncated(TableRef table, List<String> indexes, long commitLsn) {
        super("table '" + table + "', the root of index " + String.join(", ", indexes.stream().map(i -> "'" + i + "'").toList())
                + ", was truncated by the transaction committed at " + Lsn.format(commitLsn));
        this.table = table;
        this.commitLsn = commitLsn;
    }

    TableRef table() {
        return table;
    }

    long commitLsn() {
        return commitLsn;
    }
}
