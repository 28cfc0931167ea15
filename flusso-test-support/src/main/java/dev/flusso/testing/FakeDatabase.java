package dev.flusso.testing;

import dev.flusso.api.Change;
import dev.flusso.api.Position;
import dev.flusso.api.TableRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A tiny database of parents and their children, with a change log as a source would stream it. Each
 * {@link #transaction} commits its changes with one version (its commit number); each change has its own
 * {@link LogPosition}. Thread-safe: a test writes while an engine reads.
 */
public final class FakeDatabase {

    public static final TableRef PARENT = new TableRef("public", "parent");
    public static final TableRef CHILD = new TableRef("public", "child");

    /** A parent row. */
    public record Parent(long id, String name) {
    }

    /** A child row; {@code parentId} may name a parent that does not exist. */
    public record Child(long id, long parentId, String value) {
    }

    /** A change's place in the log: its index, counting from 0. */
    public record LogPosition(long index) implements Position, Comparable<LogPosition> {
        @Override
        public int compareTo(LogPosition other) {
            return Long.compare(index, other.index);
        }
    }

    private final NavigableMap<Long, Parent> parents = new TreeMap<>();
    private final NavigableMap<Long, Child> children = new TreeMap<>();
    private final List<Change> log = new ArrayList<>();
    private long version;

    /** Changes made together, committed with one version. */
    public final class Transaction {
        private final long commit;

        private Transaction(long commit) {
            this.commit = commit;
        }

        public Transaction upsertParent(long id, String name) {
            Parent old = parents.put(id, new Parent(id, name));
            Map<String, Object> key = Map.of("id", id);
            log(old == null ? Change.insert(PARENT, key, key, commit, next()) : Change.update(PARENT, key, key, key, commit, next()));
            return this;
        }

        public Transaction deleteParent(long id) {
            if (parents.remove(id) != null) {
                log(Change.delete(PARENT, Map.of("id", id), Map.of("id", id), commit, next()));
            }
            return this;
        }

        /** Updates a parent's key, as a primary-key update does. */
        public Transaction renumberParent(long id, long newId) {
            Parent old = parents.get(id);
            if (old != null && !parents.containsKey(newId)) {
                parents.remove(id);
                parents.put(newId, new Parent(newId, old.name()));
                log(Change.update(PARENT, Map.of("id", newId), Map.of("id", id), Map.of("id", newId), commit, next()));
            }
            return this;
        }

        public Transaction upsertChild(long id, long parentId, String value) {
            Child old = children.put(id, new Child(id, parentId, value));
            Map<String, Object> key = Map.of("id", id);
            Map<String, Object> now = Map.of("id", id, "parent_id", parentId);
            log(old == null ? Change.insert(CHILD, key, now, commit, next())
                    : Change.update(CHILD, key, Map.of("id", id, "parent_id", old.parentId()), now, commit, next()));
            return this;
        }

        public Transaction deleteChild(long id) {
            Child old = children.remove(id);
            if (old != null) {
                log(Change.delete(CHILD, Map.of("id", id), Map.of("id", id, "parent_id", old.parentId()), commit, next()));
            }
            return this;
        }

        private LogPosition next() {
            return new LogPosition(log.size());
        }

        private void log(Change change) {
            log.add(change);
        }
    }

    /**
     * Applies a transaction and commits it. One that changed nothing logs a {@link Change#progress} in its place, as a
     * capture does when the source moves on with nothing to capture.
     */
    public synchronized void transaction(java.util.function.Consumer<Transaction> work) {
        int before = log.size();
        work.accept(new Transaction(++version));
        if (log.size() == before) {
            log.add(Change.progress(version, new LogPosition(log.size())));
        }
    }

    /** {@return the version of the change at this log index, or -1 for none} */
    public synchronized long versionAt(long index) {
        return index < 0 || index >= log.size() ? -1 : log.get((int) index).version();
    }

    /** {@return the version of the last commit} */
    public synchronized long version() {
        return version;
    }

    /** {@return the change log from the given index on} */
    public synchronized List<Change> logFrom(long index) {
        return List.copyOf(log.subList((int) Math.min(index, log.size()), log.size()));
    }

    public synchronized int logSize() {
        return log.size();
    }

    public synchronized Optional<Parent> parent(long id) {
        return Optional.ofNullable(parents.get(id));
    }

    public synchronized Optional<Child> child(long id) {
        return Optional.ofNullable(children.get(id));
    }

    public synchronized List<Parent> parents() {
        return List.copyOf(parents.values());
    }

    /** {@return the parents with ids after the given one, in id order} */
    public synchronized List<Parent> parentsAfter(long id) {
        return List.copyOf(parents.tailMap(id, false).values());
    }

    public synchronized List<Child> children() {
        return List.copyOf(children.values());
    }

    public synchronized List<Child> childrenOf(long parentId) {
        List<Child> found = new ArrayList<>();
        for (Child child : children.values()) {
            if (child.parentId() == parentId) {
                found.add(child);
            }
        }
        return found;
    }

    /**
     * The oracle: every document of both fake indexes, rebuilt from scratch from the current rows.
     *
     * @return the documents by index, then id, as JSON text
     */
    public synchronized Map<String, Map<String, String>> expectedDocuments() {
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        Map<String, String> parentDocs = new TreeMap<>();
        Map<Long, List<Child>> byParent = new TreeMap<>();
        for (Child child : children.values()) {
            byParent.computeIfAbsent(child.parentId(), k -> new ArrayList<>()).add(child);
        }
        for (Parent parent : parents.values()) {
            parentDocs.put(Long.toString(parent.id()), FakeDocuments.parent(parent, byParent.getOrDefault(parent.id(), List.of())));
        }
        Map<String, String> childDocs = new TreeMap<>();
        for (Child child : children.values()) {
            childDocs.put(Long.toString(child.id()), FakeDocuments.child(child, parents.get(child.parentId())));
        }
        expected.put(FakeDocuments.PARENTS, Collections.unmodifiableMap(parentDocs));
        expected.put(FakeDocuments.CHILDREN, Collections.unmodifiableMap(childDocs));
        return expected;
    }
}
