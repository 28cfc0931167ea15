package dev.flusso.testing;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A bounded queue standing in for the engine's, from which a capture's test takes the changes. Progress changes are
 * handed aside: see {@link #onProgress}.
 */
public final class RecordingEmitter implements ChangeEmitter {

    /** What the capture emitted and the test has not taken yet. */
    public final ArrayBlockingQueue<Change> changes;

    private volatile Consumer<Change> onProgress = change -> { };

    /** @param capacity how many changes it holds before the capture waits, as the engine's queue would */
    public RecordingEmitter(int capacity) {
        changes = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Hands {@linkplain Change#isProgress progress changes} to {@code handler} instead of dropping them; they never
     * join {@link #changes}. An engine confirms them once its sink has recorded them: a handler that confirms them to
     * the capture plays its part.
     */
    public RecordingEmitter onProgress(Consumer<Change> handler) {
        onProgress = handler;
        return this;
    }

    @Override
    public void put(Change change) throws InterruptedException {
        if (change.isProgress()) {
            onProgress.accept(change);
            return;
        }
        changes.put(change);
    }

    @Override
    public boolean offer(Change change, Duration timeout) throws InterruptedException {
        if (change.isProgress()) {
            onProgress.accept(change);
            return true;
        }
        return changes.offer(change, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return the next n changes} @throws AssertionError if they do not arrive within the timeout */
    public List<Change> take(int n, Duration timeout) throws InterruptedException {
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

    /**
     * {@return the first change that matches, passing over the others} For captures that may deliver a change more
     * than once: the test names what must arrive, not what may come again before it.
     * @throws AssertionError if none arrives within the timeout, naming what was passed over
     */
    public Change takeMatching(Predicate<Change> wanted, String what, Duration timeout) throws InterruptedException {
        List<Change> passed = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Change change = changes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (change == null) {
                throw new AssertionError("expected " + what + " within " + timeout + "; passed over " + passed);
            }
            if (wanted.test(change)) {
                return change;
            }
            passed.add(change);
        }
    }

    /** {@return whatever arrives, until nothing more has arrived for the wait} */
    public List<Change> drain(Duration wait) throws InterruptedException {
        List<Change> taken = new ArrayList<>();
        Change change;
        while ((change = changes.poll(wait.toNanos(), TimeUnit.NANOSECONDS)) != null) {
            taken.add(change);
        }
        return taken;
    }
}
