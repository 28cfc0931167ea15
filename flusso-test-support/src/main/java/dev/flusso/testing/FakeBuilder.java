package dev.flusso.testing;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.Change;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Resolution;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link FakeDocuments} indexes from a {@link FakeDatabase}'s current rows. Records every build call's
 * ids, and fails to build documents marked as poison.
 */
public final class FakeBuilder implements DocumentBuilder {

    private final FakeDatabase database;
    private final CrashPlan crashes;
    private final List<IndexDefinition> indexes;
    private final List<List<DocumentId>> buildCalls = new ArrayList<>();
    private final Map<DocumentId, String> poison = new ConcurrentHashMap<>();

    public FakeBuilder(FakeDatabase database, CrashPlan crashes) {
        this(database, crashes, List.of(FakeDocuments.PARENTS_INDEX, FakeDocuments.CHILDREN_INDEX));
    }

    public FakeBuilder(FakeDatabase database, CrashPlan crashes, List<IndexDefinition> indexes) {
        this.database = database;
        this.crashes = crashes;
        this.indexes = List.copyOf(indexes);
    }

    /** Makes the document fail to build, with the reason. */
    public FakeBuilder poison(DocumentId id, String reason) {
        poison.put(id, reason);
        return this;
    }

    @Override
    public List<IndexDefinition> indexes() {
        return indexes;
    }

    @Override
    public void resolve(List<Change> changes, Set<String> scope, Resolution out) {
        crashes.hit("builder.resolve");
        for (Change change : changes) {
            long version = change.version();
            if (change.table().equals(FakeDatabase.PARENT)) {
                for (long parentId : ids(change, "id")) {
                    report(scope, out, FakeDocuments.PARENTS, parentId, version);
                    for (FakeDatabase.Child child : database.childrenOf(parentId)) {
                        report(scope, out, FakeDocuments.CHILDREN, child.id(), version);
                    }
                }
            } else {
                for (long parentId : ids(change, "parent_id")) {
                    report(scope, out, FakeDocuments.PARENTS, parentId, version);
                }
                report(scope, out, FakeDocuments.CHILDREN, (Long) change.key().get("id"), version);
            }
        }
    }

    private static Set<Long> ids(Change change, String column) {
        Set<Long> ids = new java.util.TreeSet<>();
        Optional.ofNullable((Long) change.oldValues().get(column)).ifPresent(ids::add);
        Optional.ofNullable((Long) change.newValues().get(column)).ifPresent(ids::add);
        return ids;
    }

    private static void report(Set<String> scope, Resolution out, String index, long id, long version) {
        if (scope.contains(index)) {
            out.affects(new DocumentId(index, Long.toString(id)), version);
        }
    }

    @Override
    public void build(Collection<DocumentId> documents, BuildOutput out) {
        crashes.hit("builder.build");
        synchronized (buildCalls) {
            buildCalls.add(List.copyOf(documents));
        }
        for (DocumentId id : documents) {
            String reason = poison.get(id);
            if (reason != null) {
                out.failed(id, reason);
                continue;
            }
            long key = Long.parseLong(id.id());
            Optional<String> source = id.index().equals(FakeDocuments.PARENTS)
                    ? database.parent(key).map(p -> FakeDocuments.parent(p, database.childrenOf(key)))
                    : database.child(key).map(c -> FakeDocuments.child(c, database.parent(c.parentId()).orElse(null)));
            if (source.isPresent()) {
                out.document(id, source.get());
            } else {
                out.deleted(id);
            }
        }
    }

    /** {@return the ids of every build call, in order} */
    public List<List<DocumentId>> buildCalls() {
        synchronized (buildCalls) {
            return List.copyOf(buildCalls);
        }
    }
}
