package dev.flusso.testing;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.testing.FakeDatabase.LogPosition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Streams a {@link FakeDatabase}'s change log from the {@link CaptureState}'s confirmed position on, and snapshots
 * its tables. A finite capture's stream ends when it reaches the end of the log; an endless one waits for more.
 */
public final class FakeCapture implements ChangeCapture {

    private final FakeDatabase database;
    private final CaptureState state;
    private final CrashPlan crashes;
    private final boolean finite;
    private volatile boolean closed;

    public FakeCapture(FakeDatabase database, CaptureState state, CrashPlan crashes, boolean finite) {
        this.database = database;
        this.state = state;
        this.crashes = crashes;
        this.finite = finite;
    }

    @Override
    public boolean canResume() {
        return state.canResume();
    }

    @Override
    public Optional<String> confirmedBeyond(long version) {
        long confirmed = database.versionAt(state.confirmed());
        return confirmed > version ? Optional.of("the source was confirmed up to version " + confirmed + ", past " + version) : Optional.empty();
    }

    @Override
    public void open() {
        crashes.hit("capture.open");
        state.open(database.logSize() - 1);
    }

    /** The fake database takes reads from any thread, and each row is read when it is built. */
    @Override
    public boolean snapshotsWhileStreaming() {
        return true;
    }

    @Override
    public OptionalLong estimateRows(SnapshotRequest request) {
        return OptionalLong.of(request.root().equals(FakeDatabase.PARENT) ? database.parents().size() : database.children().size());
    }

    @Override
    public void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException {
        state.snapshotRequested(request);
        state.awaitSnapshotGate();
        long version = database.version();
        long after = request.resumeAfter().map(Long::parseLong).orElse(Long.MIN_VALUE);
        List<Long> ids = request.root().equals(FakeDatabase.PARENT)
                ? database.parentsAfter(after).stream().map(FakeDatabase.Parent::id).toList()
                : database.children().stream().map(FakeDatabase.Child::id).filter(id -> id > after).toList();
        for (long id : ids) {
            if (closed) {
                return;
            }
            crashes.hit("capture.snapshot");
            out.put(Change.snapshot(request.root(), Map.of("id", id), version, new SnapshotPosition(request.index(), Long.toString(id))));
        }
    }

    @Override
    public void stream(ChangeEmitter out) throws InterruptedException {
        long next = state.confirmed() + 1;
        while (!closed) {
            List<Change> changes = database.logFrom(next);
            for (Change change : changes) {
                if (closed) {
                    return;
                }
                crashes.hit("capture.emit");
                out.put(change);
                next++;
            }
            if (changes.isEmpty()) {
                if (finite) {
                    return;
                }
                Thread.sleep(5);
            }
        }
    }

    @Override
    public void confirm(Position upTo) {
        state.confirm((LogPosition) upTo);
    }

    @Override
    public void close() {
        closed = true;
    }
}
