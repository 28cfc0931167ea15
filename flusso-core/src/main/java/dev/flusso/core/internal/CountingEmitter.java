package dev.flusso.core.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import java.time.Duration;

/** The capture's view of the queue, counting what it hands over so the engine knows when the worker caught up. */
public final class CountingEmitter implements ChangeEmitter {

    private final ChangeEmitter queue;
    private volatile long emitted;

    public CountingEmitter(ChangeEmitter queue) {
        this.queue = queue;
    }

    @Override
    public void put(Change change) throws InterruptedException {
        queue.put(change);
        emitted++;
    }

    @Override
    public boolean offer(Change change, Duration timeout) throws InterruptedException {
        boolean taken = queue.offer(change, timeout);
        if (taken) {
            emitted++;
        }
        return taken;
    }

    /** {@return how many changes were handed over; capture thread writes, any thread reads} */
    public long emitted() {
        return emitted;
    }
}
