package dev.flusso.bench;

import dev.flusso.core.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Engines running on threads of their own until {@link #close()}: one with every role, or, with a durable queue, a
 * capture process and its workers, each as {@code flusso run --role} makes it. Documents count as durable when any
 * of their sinks flushed them.
 */
final class RunningEngine implements AutoCloseable {

    private final List<Engine> engines = new ArrayList<>();
    private final List<CountingSink> sinks = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private RunningEngine() {
    }

    /**
     * Starts the engines in the order given: workers before their capture, so that the group has its members when
     * the first changes arrive.
     */
    static RunningEngine start(BenchDeployment.Wired... wired) {
        RunningEngine running = new RunningEngine();
        for (BenchDeployment.Wired each : wired) {
            Engine engine = each.engine();
            Thread thread = new Thread(() -> {
                try {
                    engine.run();
                } catch (Throwable e) {
                    running.failure.compareAndSet(null, e);
                }
            }, "bench-engine-" + running.engines.size());
            running.engines.add(engine);
            running.sinks.add(each.sink());
            running.threads.add(thread);
            thread.start();
        }
        return running;
    }

    /** {@return the first engine's sink} */
    CountingSink sink() {
        return sinks.get(0);
    }

    /** {@return the documents every sink made durable so far} */
    long durable() {
        return sinks.stream().mapToLong(CountingSink::durable).sum();
    }

    /**
     * Waits until the sinks have made {@code count} documents durable.
     *
     * @return {@link System#nanoTime()} when it saw them, within a millisecond
     */
    long awaitDurable(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (durable() < count) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the engine made " + durable() + " of " + count
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
        if (failure.get() != null || threads.stream().anyMatch(t -> !t.isAlive())) {
            throw new IllegalStateException("an engine stopped", failure.get());
        }
    }

    /** Stops the capture first (the last started), then the workers. */
    @Override
    public void close() {
        for (int i = engines.size() - 1; i >= 0; i--) {
            engines.get(i).stop();
            try {
                threads.get(i).join(Duration.ofSeconds(60).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an engine failed", failure.get());
        }
    }
}
