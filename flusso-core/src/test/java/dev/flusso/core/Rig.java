package dev.flusso.core;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.BatchReport;
import dev.flusso.api.Change;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.Observer;
import dev.flusso.core.internal.ChannelQueue;
import dev.flusso.testing.CaptureState;
import dev.flusso.testing.CrashPlan;
import dev.flusso.testing.FakeBuilder;
import dev.flusso.testing.FakeCapture;
import dev.flusso.testing.FakeDatabase;
import dev.flusso.testing.FakeDatabase.LogPosition;
import dev.flusso.testing.FakeDocuments;
import dev.flusso.testing.InMemorySink;
import dev.flusso.testing.SinkStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake source and destination that outlive engine runs, as a database and a search cluster outlive a crashed
 * process: each run gets fresh edges over the same state.
 */
final class Rig {

    final FakeDatabase database = new FakeDatabase();
    final SinkStore store = new SinkStore();
    final CaptureState capture = new CaptureState();
    final List<BatchReport> batches = new CopyOnWriteArrayList<>();
    BatchPolicy batchPolicy = new BatchPolicy(10, Duration.ZERO);
    FailurePolicies failurePolicies = FailurePolicies.DEFAULT.withOnRejection(dev.flusso.api.RejectionPolicy.STOP);
    int queueCapacity = 100;
    /** Seeds flushes that travel concurrently and land in any order; null for flushes on the worker thread. */
    Long lanes;
    FakeBuilder lastBuilder;
    ChannelQueue lastQueue;

    /**
     * Fails any confirmation whose changes' own documents are not durable (written, or dead-lettered) at a version at
     * least the change's.
     */
    Rig checkingConfirmations() {
        long[] checkedThrough = {-1};
        capture.checkEachConfirmation(position -> {
            for (Change change : database.logFrom(checkedThrough[0] + 1)) {
                if (((LogPosition) change.position()).index() > position.index()) {
                    break;
                }
                for (DocumentId id : directDocuments(change)) {
                    long stored = store.entry(id).map(SinkStore.Entry::version).orElse(Long.MIN_VALUE);
                    boolean deadLettered = store.deadLetters().stream()
                            .anyMatch(r -> r.document().id().equals(id) && r.document().version() >= change.version());
                    if (stored < change.version() && !deadLettered) {
                        throw new AssertionError("confirmed " + change.position() + " (version " + change.version()
                                + ") before document " + id + " was flushed; stored version " + stored);
                    }
                }
            }
            checkedThrough[0] = position.index();
        });
        return this;
    }

    private static Set<DocumentId> directDocuments(Change change) {
        Set<DocumentId> ids = new java.util.HashSet<>();
        if (change.isProgress()) {
            return ids;
        }
        if (change.table().equals(FakeDatabase.PARENT)) {
            ids.add(new DocumentId(FakeDocuments.PARENTS, change.key().get("id").toString()));
            if (change.oldValues().get("id") != null) {
                ids.add(new DocumentId(FakeDocuments.PARENTS, change.oldValues().get("id").toString()));
            }
        } else {
            ids.add(new DocumentId(FakeDocuments.CHILDREN, change.key().get("id").toString()));
            for (Object parent : new Object[] {change.oldValues().get("parent_id"), change.newValues().get("parent_id")}) {
                if (parent != null) {
                    ids.add(new DocumentId(FakeDocuments.PARENTS, parent.toString()));
                }
            }
        }
        return ids;
    }

    Engine.Builder engine(CrashPlan crashes, boolean finite) {
        lastBuilder = new FakeBuilder(database, crashes);
        lastQueue = new ChannelQueue(queueCapacity);
        return Engine.builder()
                .capture(new FakeCapture(database, capture, crashes, finite))
                .queue(lastQueue)
                .documentBuilder(lastBuilder)
                .sink(lanes == null ? new InMemorySink(store, crashes) : new InMemorySink(store, crashes).withLanes(lanes))
                .batchPolicy(batchPolicy)
                .failurePolicies(failurePolicies)
                .observer(new Observer() {
                    @Override
                    public void batchFlushed(BatchReport report) {
                        batches.add(report);
                    }
                })
                .sleeper(duration -> { });
    }

    /** Runs to the end of the log with no crash. */
    void runToEnd() {
        engine(CrashPlan.never(), true).build().run();
    }

    /** Runs until the crash plan strikes (or to the end of the log); {@return whether it crashed} */
    boolean runUntilCrash(CrashPlan crashes) {
        try {
            engine(crashes, true).build().run();
            return false;
        } catch (CrashPlan.SimulatedCrash e) {
            return true;
        }
    }

    void assertConverged() {
        org.junit.jupiter.api.Assertions.assertEquals(database.expectedDocuments(), store.documents(),
                "the destination holds exactly the documents the oracle rebuilds from the database");
        org.junit.jupiter.api.Assertions.assertEquals(database.logSize() - 1, capture.confirmed(),
                "every change is confirmed once the log is drained");
    }
}
