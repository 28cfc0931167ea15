package dev.flusso.queue.kafka.internal;

import dev.flusso.api.Change;
import dev.flusso.api.Operation;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.TableRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Random changes of every operation, with values of every type the record format carries. */
final class ChangeArbitraries {

    private ChangeArbitraries() {
    }

    /** {@return changes; a live change gets the position given} */
    static Arbitrary<Change> changes(Position live) {
        Arbitrary<Map<String, Object>> values = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), value())
                .ofMaxSize(5).map(LinkedHashMap::new);
        Arbitrary<TableRef> tables = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(10).filter(s -> !s.isBlank())).as(TableRef::new);
        Arbitrary<Long> versions = Arbitraries.longs();
        Arbitrary<Change> changes = Combinators.combine(Arbitraries.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE,
                Operation.TRUNCATE), tables, values, values, values, versions)
                .as((op, table, key, old, now, version) -> new Change(op, table, key, old, now, version, live));
        Arbitrary<Change> snapshot = Combinators.combine(tables, values, versions, Arbitraries.strings().ofMaxLength(10))
                .as((table, key, version, checkpoint) -> Change.snapshot(table, key, version, new SnapshotPosition("idx", checkpoint)));
        Arbitrary<Change> progress = versions.map(version -> Change.progress(version, live));
        return Arbitraries.frequencyOf(Tuple.of(5, changes), Tuple.of(3, snapshot), Tuple.of(1, progress));
    }

    private static Arbitrary<Object> value() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.just(null), Arbitraries.of(true, false), Arbitraries.longs(), Arbitraries.integers(),
                Arbitraries.shorts(), Arbitraries.strings().ofMaxLength(20), Arbitraries.doubles(), Arbitraries.floats(),
                Arbitraries.bigDecimals().ofScale(3), Arbitraries.bigIntegers().map(BigInteger::negate),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8), Arbitraries.randomValue(r -> new UUID(r.nextLong(), r.nextLong())),
                Arbitraries.just(new BigDecimal("0.0000001")));
        return Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(3).map(list -> (Object) list));
    }
}
