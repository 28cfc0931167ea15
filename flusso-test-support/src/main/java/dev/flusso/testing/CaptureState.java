package dev.flusso.testing;

import dev.flusso.api.SnapshotRequest;
import dev.flusso.testing.FakeDatabase.LogPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a source remembers across runs of a {@link FakeCapture}, as a replication slot does: the confirmed position.
 * Also records what the captures were asked, for assertions.
 */
public final class CaptureState {

    private long confirmed = -1;
    private final List<Long> confirmations = new ArrayList<>();
    private final List<SnapshotRequest> snapshotRequests = new ArrayList<>();
    private Consumer<LogPosition> onConfirm = position -> { };
    private boolean lostPlace;
    private final List<String> calls = new ArrayList<>();

    private volatile java.util.concurrent.CountDownLatch snapshotGate = new java.util.concurrent.CountDownLatch(0);

    /** Makes every later snapshot wait before its first row until {@code gate} opens: a backfill that lasts. */
    public CaptureState holdSnapshotsUntil(java.util.concurrent.CountDownLatch gate) {
        snapshotGate = gate;
        return this;
    }

    void awaitSnapshotGate() throws InterruptedException {
        snapshotGate.await();
    }

    /** Runs a check on every confirmation before it takes effect: a failed check fails the confirm call. */
    public synchronized CaptureState checkEachConfirmation(Consumer<LogPosition> check) {
        this.onConfirm = check;
        return this;
    }

    synchronized void confirm(LogPosition position) {
        if (position.index() < confirmed) {
            throw new IllegalStateException("confirmed position moved backwards, from " + confirmed + " to " + position.index());
        }
        onConfirm.accept(position);
        confirmed = position.index();
        confirmations.add(position.index());
    }

    /**
     * Makes the source lose its place, as a dropped replication slot does: the next capture reports it cannot resume,
     * then its {@code open} finds a place again at the end of the log (the slot is recreated): every change before
     * it is missed.
     */
    public synchronized CaptureState losePlace() {
        lostPlace = true;
        return this;
    }

    synchronized boolean canResume() {
        calls.add("canResume");
        return !lostPlace;
    }

    /** A lost place is found again where the log ends now, as a recreated slot starts at the current WAL end. */
    synchronized void open(long lastIndex) {
        calls.add("open");
        if (lostPlace) {
            confirmed = lastIndex;
            lostPlace = false;
        }
    }

    /** {@return the lifecycle calls the captures received, in order} */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void snapshotRequested(SnapshotRequest request) {
        snapshotRequests.add(request);
    }

    /** {@return the log index of the last confirmed change, or -1} */
    public synchronized long confirmed() {
        return confirmed;
    }

    public synchronized List<Long> confirmations() {
        return List.copyOf(confirmations);
    }

    public synchronized List<SnapshotRequest> snapshotRequests() {
        return List.copyOf(snapshotRequests);
    }
}
