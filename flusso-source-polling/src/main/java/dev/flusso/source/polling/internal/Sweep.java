package dev.flusso.source.polling.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Position;
import dev.flusso.postgres.DocumentIds;
import dev.flusso.postgres.KeyPage;
import dev.flusso.postgres.KeysetPager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the documents whose root rows are gone: the ids the capture knows it emitted, less the root keys that exist
 * now. Reads every root key once (keyset pages), so it costs a scan of the root table's primary-key index per
 * sweep, and memory for both sets.
 */
final class Sweep {

    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

    private final KeysetPager pager;
    private final KnownIds known;
    private final int pageSize;

    Sweep(KeysetPager pager, KnownIds known, int pageSize) {
        this.pager = pager;
        this.known = known;
        this.pageSize = pageSize;
    }

    /**
     * Emits a deletion of every document whose root row is gone, for every index, with the round's version.
     *
     * @param deleted receives, per index, the ids whose deletions were emitted
     */
    void run(List<IndexDefinition> indexes, long version, Supplier<Position> positions, ChangeEmitter out,
            Map<String, List<String>> deleted, BooleanSupplier stopped) throws InterruptedException {
        for (IndexDefinition index : indexes) {
            Optional<List<String>> missing = missing(index, stopped);
            if (missing.isEmpty()) {
                return;
            }
            known.deleting(index.name(), missing.get());
            for (String id : missing.get()) {
                Optional<List<String>> key = DocumentIds.decode(id, index.keyColumns().size());
                if (key.isEmpty()) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                for (int k = 0; k < key.get().size(); k++) {
                    values.put(index.keyColumns().get(k), key.get().get(k));
                }
                out.put(Change.delete(index.root(), values, Map.of(), version, positions.get()));
            }
            if (!missing.get().isEmpty()) {
                LOG.info("sweep of index '{}': {} documents whose rows of '{}' are gone", index.name(), missing.get().size(),
                        index.root());
                deleted.put(index.name(), missing.get());
            }
        }
    }

    /**
     * {@return the ids of the index's documents whose root rows are missing now, or empty if stopped meanwhile}
     * Ids emitted while the sweep reads are not among the candidates (they were taken before), so a row inserted
     * meanwhile is never taken for deleted.
     */
    private Optional<List<String>> missing(IndexDefinition index, BooleanSupplier stopped) {
        Set<String> candidates = known.ids(index.name());
        if (candidates.isEmpty()) {
            return Optional.of(List.of());
        }
        Set<String> present = new HashSet<>();
        Optional<List<String>> after = Optional.empty();
        while (true) {
            if (stopped.getAsBoolean()) {
                return Optional.empty();
            }
            KeyPage page = pager.page(index.root(), index.keyColumns(), after, pageSize);
            for (List<String> key : page.keys()) {
                String id = DocumentIds.encode(key);
                if (candidates.contains(id)) {
                    present.add(id);
                }
            }
            if (page.complete()) {
                break;
            }
            after = page.last();
        }
        List<String> missing = new ArrayList<>();
        for (String id : candidates) {
            if (!present.contains(id)) {
                missing.add(id);
            }
        }
        return Optional.of(missing);
    }
}
