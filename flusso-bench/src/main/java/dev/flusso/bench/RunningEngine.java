package dev.flusso.bench;

import dev.flusso.core.Engine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** An engine running on a thread of its own, until {@link #close()}. */
final class RunningEngine implements AutoCloseable {

    private final Engine engine;
    private final CountingSink sink;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private RunningEngine(BenchDeployment.Wired wired) {
        this.engine = wired.engine();
        this.sink = wired.sink();
        this.thread = new Thread(() -> {
            try {
                engine.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "bench-engine");
    }

    static RunningEngine start(BenchDeployment.Wired wired) {
        RunningEngine running = new RunningEngine(wired);
        running.thread.start();
        return running;
    }

    CountingSink sink() {
        return sink;
    }

    /**
     * Waits until the sink has made {@code count} documents durable.
     *
     * @return {@link System#nanoTime()} when it saw them, within a millisecond
     */
    long awaitDurable(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sink.durable() < count) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the engine made " + sink.durable() + " of " + count
                        + " documents durable within " + timeout);
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    /** Waits until the engine streams: its slot is active (after any backfill). */
    void awaitStreaming(BooleanSupplier slotActive, String slot, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!slotActive.getAsBoolean()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the engine did not stream from slot '" + slot + "' within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private void checkAlive() {
        if (!thread.isAlive()) {
            throw new IllegalStateException("the engine stopped", failure.get());
        }
    }

    @Override
    public void close() {
        engine.stop();
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the engine failed", failure.get());
        }
    }
}
