package dev.flusso.core;

import dev.flusso.testing.FakeDatabase;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random change streams over a {@link FakeDatabase}: small key ranges, so rows collide, move and come back. */
final class Workloads {

    /** One statement of a transaction. */
    sealed interface Op {
        void apply(FakeDatabase.Transaction tx);
    }

    record UpsertParent(long id, String name) implements Op {
        public void apply(FakeDatabase.Transaction tx) {
            tx.upsertParent(id, name);
        }
    }

    record DeleteParent(long id) implements Op {
        public void apply(FakeDatabase.Transaction tx) {
            tx.deleteParent(id);
        }
    }

    record RenumberParent(long id, long newId) implements Op {
        public void apply(FakeDatabase.Transaction tx) {
            tx.renumberParent(id, newId);
        }
    }

    record UpsertChild(long id, long parentId, String value) implements Op {
        public void apply(FakeDatabase.Transaction tx) {
            tx.upsertChild(id, parentId, value);
        }
    }

    record DeleteChild(long id) implements Op {
        public void apply(FakeDatabase.Transaction tx) {
            tx.deleteChild(id);
        }
    }

    private Workloads() {
    }

    static Arbitrary<List<List<Op>>> transactions(int maxTransactions) {
        return op().list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(maxTransactions);
    }

    static Arbitrary<Op> op() {
        Arbitrary<Long> parent = Arbitraries.longs().between(1, 8);
        Arbitrary<Long> child = Arbitraries.longs().between(100, 115);
        Arbitrary<String> text = Arbitraries.strings().withChars("abc\"\\é").ofMaxLength(4);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Combinators.combine(parent, text).as(UpsertParent::new)),
                net.jqwik.api.Tuple.of(1, parent.map(DeleteParent::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(parent, parent).as(RenumberParent::new)),
                net.jqwik.api.Tuple.of(5, Combinators.combine(child, parent, text).as(UpsertChild::new)),
                net.jqwik.api.Tuple.of(2, child.map(DeleteChild::new)));
    }

    static void apply(FakeDatabase database, List<List<Op>> transactions) {
        for (List<Op> ops : transactions) {
            database.transaction(tx -> ops.forEach(op -> op.apply(tx)));
        }
    }
}
