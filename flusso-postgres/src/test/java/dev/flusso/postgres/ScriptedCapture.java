package dev.flusso.postgres;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A capture over a real database for the engine: it snapshots a root table through {@link KeysetPager}, page by
 * page, with {@link DocumentIds} checkpoints, then streams a scripted list of changes and ends.
 */
final class ScriptedCapture implements ChangeCapture {

    /** The position of a scripted change: its place in the script, counting from 1. */
    record Lsn(long value) implements Position {
    }

    private final DataSource source;
    private final int pageSize;
    private final long snapshotVersion;
    private final List<Change> script;
    private final List<Position> confirmed = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ScriptedCapture(DataSource source, int pageSize, long snapshotVersion, List<Change> script) {
        this.source = source;
        this.pageSize = pageSize;
        this.snapshotVersion = snapshotVersion;
        this.script = List.copyOf(script);
    }

    @Override
    public OptionalLong estimateRows(SnapshotRequest request) {
        try (KeysetPager pager = new KeysetPager(source)) {
            long estimate = pager.estimate(request.root());
            return estimate < 0 ? OptionalLong.empty() : OptionalLong.of(estimate);
        }
    }

    @Override
    public void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException {
        int arity = request.keyColumns().size();
        Optional<List<String>> after = request.resumeAfter().map(checkpoint -> DocumentIds.decode(checkpoint, arity)
                .orElseThrow(() -> new IllegalStateException("checkpoint '" + checkpoint + "' is not a key of " + arity)));
        try (KeysetPager pager = new KeysetPager(source)) {
            KeyPage page;
            do {
                page = pager.page(request.root(), request.keyColumns(), after, pageSize);
                for (List<String> key : page.keys()) {
                    if (closed) {
                        return;
                    }
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int i = 0; i < arity; i++) {
                        values.put(request.keyColumns().get(i), key.get(i));
                    }
                    out.put(Change.snapshot(request.root(), values, snapshotVersion,
                            new SnapshotPosition(request.index(), DocumentIds.encode(key))));
                }
                after = page.last();
            } while (!page.complete());
        }
    }

    @Override
    public void stream(ChangeEmitter out) throws InterruptedException {
        for (Change change : script) {
            if (closed) {
                return;
            }
            out.put(change);
        }
    }

    @Override
    public void confirm(Position upTo) {
        confirmed.add(upTo);
    }

    /** {@return the positions confirmed so far, in order} */
    List<Position> confirmed() {
        return List.copyOf(confirmed);
    }

    @Override
    public void close() {
        closed = true;
    }
}
