package dev.flusso.source.wal.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.FlussoException;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.postgres.DocumentIds;
import dev.flusso.postgres.KeyPage;
import dev.flusso.postgres.KeysetPager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Reads a root table's keys in key order with the builder's {@link KeysetPager}, one page per short read-only
 * transaction, resuming after a checkpoint: no long transaction holds back vacuum, and rows changed meanwhile are
 * streamed afterwards anyway (the slot exists before the first page is read). The checkpoint is the last key read,
 * encoded as the builder encodes document ids ({@link DocumentIds}). Key values are converted as the stream converts
 * them ({@link Values}), so a row's key looks the same whichever way it arrives.
 */
final class KeysetSnapshot {

    static final int PAGE = 5000;

    private final KeysetPager pager;
    private final SnapshotRequest request;
    private final Map<String, Integer> types;
    private final long version;

    /**
     * @param pager the pager, on a connection of its own; closed by the caller
     * @param request what to read
     * @param types the key columns' type OIDs
     * @param version the version of every row: the slot's position when the capture opened
     */
    KeysetSnapshot(KeysetPager pager, SnapshotRequest request, Map<String, Integer> types, long version) {
        this.pager = pager;
        this.request = request;
        this.types = types;
        this.version = version;
    }

    /**
     * Emits every row after the request's checkpoint.
     *
     * @param out where the rows go
     * @param stopped whether the capture was closed meanwhile
     */
    void run(ChangeEmitter out, BooleanSupplier stopped) throws InterruptedException {
        List<String> columns = request.keyColumns();
        Optional<List<String>> after = request.resumeAfter().map(checkpoint -> DocumentIds.decode(checkpoint, columns.size())
                .orElseThrow(() -> new FlussoException("the backfill checkpoint of index '" + request.index() + "' does not"
                        + " hold a key of the " + columns.size() + " key columns " + columns + " of table '" + request.root()
                        + "': the index's key changed, or the checkpoint was not made by this capture; re-backfill the"
                        + " index from the start")));
        while (!stopped.getAsBoolean()) {
            KeyPage page = pager.page(request.root(), columns, after, PAGE);
            for (List<String> key : page.keys()) {
                Map<String, Object> values = new LinkedHashMap<>(columns.size() * 2);
                for (int i = 0; i < columns.size(); i++) {
                    values.put(columns.get(i), Values.convert(types.getOrDefault(columns.get(i), 0), key.get(i)));
                }
                out.put(Change.snapshot(request.root(), values, version,
                        new SnapshotPosition(request.index(), DocumentIds.encode(key))));
            }
            if (page.complete()) {
                return;
            }
            after = page.last();
        }
    }
}
