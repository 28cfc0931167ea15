package dev.flusso.core.internal;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Remembers which edge threw an exception, so that a failed run can say whether the source, the queue, the builder or
 * the sink failed (the command's exit code depends on it). The engine calls each edge through it, where it calls the
 * edge, and it notes by identity the exceptions that come out, unchanged; the innermost edge is kept, so a sink
 * failure raised inside a builder's callback stays the sink's.
 */
public final class Blame {

    public static final String CAPTURE = "capture";
    public static final String QUEUE = "queue";
    public static final String BUILDER = "builder";
    public static final String SINK = "sink";

    /** An edge call that may wait, and so be interrupted. */
    @FunctionalInterface
    public interface Waiting {
        void run() throws InterruptedException;
    }

    // Throwable does not override equals: a weak hash map keys it by identity, and forgets it with the exception.
    private final Map<Throwable, String> thrownBy = Collections.synchronizedMap(new WeakHashMap<>());

    /** {@return what the call of the edge returns} What it throws is blamed on the edge. */
    public <T> T get(String edge, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException | Error e) {
            note(e, edge);
            throw e;
        }
    }

    /** Calls the edge; what it throws is blamed on it. */
    public void run(String edge, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            note(e, edge);
            throw e;
        }
    }

    /** Calls the edge, which may wait; what it throws, but for an interruption, is blamed on it. */
    public void waiting(String edge, Waiting call) throws InterruptedException {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            note(e, edge);
            throw e;
        }
    }

    /**
     * Blames a failure that reached the engine other than by a call of the edge: a flush that failed on a thread of the
     * sink's own, say. A failure already blamed keeps its edge.
     *
     * @return the failure, to be thrown
     */
    public <E extends Throwable> E note(E failure, String edge) {
        thrownBy.putIfAbsent(failure, edge);
        return failure;
    }

    /** {@return the edge that threw the failure, or one of its causes} */
    public Optional<String> edgeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = thrownBy.get(t);
            if (name != null) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
