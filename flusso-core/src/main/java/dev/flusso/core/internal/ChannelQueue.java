package dev.flusso.core.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Position;
import dev.flusso.api.PositionConfirmer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The in-process queue: a bounded channel between the capture and the worker. A batch's source positions are
 * confirmed when the worker acknowledges it; batches acknowledged out of order confirm only the contiguous prefix.
 */
public final class ChannelQueue implements ChangeQueue {

    /** How often a waiting call looks whether the queue was closed. */
    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ArrayBlockingQueue<Change> changes;
    private final Deque<Batch> unacknowledged = new ArrayDeque<>();
    private volatile PositionConfirmer confirmer;
    private volatile boolean closed;
    private long nextSequence;

    public ChannelQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        this.changes = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void open(PositionConfirmer confirmer) {
        this.confirmer = Objects.requireNonNull(confirmer, "confirmer");
    }

    @Override
    public void put(Change change) throws InterruptedException {
        while (!offer(change, Duration.ofNanos(CLOSE_CHECK_NANOS))) {
            // full: keep waiting, looking for close in between
        }
    }

    @Override
    public boolean offer(Change change, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(change, "change");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ensureOpen();
            long left = deadline - System.nanoTime();
            if (changes.offer(change, Math.max(0, Math.min(left, CLOSE_CHECK_NANOS)), TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (left <= CLOSE_CHECK_NANOS) {
                return false;
            }
        }
    }

    @Override
    public ChangeBatch poll(BatchPolicy policy, Duration wait) throws InterruptedException {
        Change first = take(System.nanoTime() + wait.toNanos());
        if (first == null) {
            return new Batch(-1, List.of(), null);
        }
        List<Change> batch = new ArrayList<>(Math.min(policy.maxChanges(), changes.size() + 1));
        batch.add(first);
        long deadline = System.nanoTime() + policy.maxDelay().toNanos();
        while (batch.size() < policy.maxChanges()) {
            changes.drainTo(batch, policy.maxChanges() - batch.size());
            // Nothing more is ready: close the batch, unless max_delay lets it wait for more.
            if (batch.size() >= policy.maxChanges() || System.nanoTime() >= deadline) {
                break;
            }
            Change next = take(deadline);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return register(batch);
    }

    private Change take(long deadline) throws InterruptedException {
        while (true) {
            ensureOpen();
            long left = deadline - System.nanoTime();
            Change change = changes.poll(Math.max(0, Math.min(left, CLOSE_CHECK_NANOS)), TimeUnit.NANOSECONDS);
            if (change != null || left <= CLOSE_CHECK_NANOS) {
                return change;
            }
        }
    }

    private synchronized Batch register(List<Change> batch) {
        Position lastLive = null;
        for (int i = batch.size() - 1; i >= 0 && lastLive == null; i--) {
            if (!batch.get(i).isSnapshot()) {
                lastLive = batch.get(i).position();
            }
        }
        Batch registered = new Batch(nextSequence++, List.copyOf(batch), lastLive);
        unacknowledged.addLast(registered);
        return registered;
    }

    @Override
    public void acknowledge(ChangeBatch batch) {
        if (!(batch instanceof Batch ours) || ours.sequence < 0) {
            if (batch.isEmpty()) {
                return;
            }
            throw new IllegalArgumentException("batch was not taken from this queue: " + batch);
        }
        Position confirm = null;
        synchronized (this) {
            if (!unacknowledged.contains(ours)) {
                throw new IllegalStateException("batch " + ours.sequence + " is acknowledged twice");
            }
            ours.acknowledged = true;
            while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().acknowledged) {
                Batch done = unacknowledged.removeFirst();
                if (done.lastLive != null) {
                    confirm = done.lastLive;
                }
            }
        }
        if (confirm != null) {
            confirmer.confirm(confirm);
        }
    }

    @Override
    public int capacity() {
        return changes.remainingCapacity() + changes.size();
    }

    @Override
    public int size() {
        return changes.size();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new FlussoException("the change queue is closed");
        }
    }

    private static final class Batch implements ChangeBatch {
        private final long sequence;
        private final List<Change> changes;
        private final Position lastLive;
        private boolean acknowledged;

        Batch(long sequence, List<Change> changes, Position lastLive) {
            this.sequence = sequence;
            this.changes = changes;
            this.lastLive = lastLive;
        }

        @Override
        public List<Change> changes() {
            return changes;
        }

        @Override
        public String toString() {
            return "batch " + sequence + " of " + changes.size() + " changes";
        }
    }
}
