package dev.flusso.source.polling.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bounded queue standing in for the engine's, from which a test takes the changes. */
final class RecordingEmitter implements ChangeEmitter {

    final ArrayBlockingQueue<Change> changes;

    RecordingEmitter(int capacity) {
        changes = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void put(Change change) throws InterruptedException {
        changes.put(change);
    }

    @Override
    public boolean offer(Change change, Duration timeout) throws InterruptedException {
        return changes.offer(change, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return the next n changes} @throws AssertionError if they do not arrive within the timeout */
    List<Change> take(int n, Duration timeout) throws InterruptedException {
        List<Change> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < n) {
            Change change = changes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (change == null) {
                throw new AssertionError("expected " + n + " changes within " + timeout + ", got " + taken.size() + ": " + taken);
            }
            taken.add(change);
        }
        return taken;
    }

    /** {@return whatever arrives within the wait after the last change} */
    List<Change> drain(Duration wait) throws InterruptedException {
        List<Change> taken = new ArrayList<>();
        Change change;
        while ((change = changes.poll(wait.toNanos(), TimeUnit.NANOSECONDS)) != null) {
            taken.add(change);
        }
        return taken;
    }
}
