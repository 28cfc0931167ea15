package dev.flusso.queue.kafka.internal;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotRequest;

/**
 * The capture of a worker-only engine, until the engine has roles: it streams nothing and must never be asked to
 * confirm, because the capture process confirms once the broker holds a change.
 */
final class IdleCapture implements ChangeCapture {

    private volatile boolean closed;

    @Override
    public void snapshot(SnapshotRequest request, ChangeEmitter out) {
        throw new AssertionError("a worker-only engine was asked to snapshot " + request.index());
    }

    @Override
    public void stream(ChangeEmitter out) throws InterruptedException {
        while (!closed) {
            Thread.sleep(20);
        }
    }

    @Override
    public void confirm(Position upTo) {
        throw new AssertionError("a worker-only engine confirmed " + upTo);
    }

    @Override
    public void close() {
        closed = true;
    }
}
