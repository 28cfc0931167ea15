package dev.flusso.source.wal.internal;

import dev.flusso.api.ChangeEmitter;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a capture's stream on a thread of its own, as the engine's capture thread would. */
final class Streaming implements AutoCloseable {

    private final WalCapture capture;
    private final Thread thread;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Streaming(WalCapture capture, ChangeEmitter out) {
        this.capture = capture;
        this.thread = new Thread(() -> {
            try {
                capture.stream(out);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "test-capture");
        thread.start();
    }

    /** {@return the failure the stream ended with, waiting for it to end} */
    Throwable awaitFailure(long millis) throws InterruptedException {
        thread.join(millis);
        return failure.get();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        capture.close();
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError("the stream did not return within 10 s of close()");
        }
    }
}
