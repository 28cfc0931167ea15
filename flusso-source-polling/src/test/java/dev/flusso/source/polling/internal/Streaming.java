package dev.flusso.source.polling.internal;

import dev.flusso.api.ChangeEmitter;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a capture's stream on a thread of its own, as the engine's capture thread would. */
final class Streaming implements AutoCloseable {

    private final PollingCapture capture;
    private final Thread thread;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Streaming(PollingCapture capture, ChangeEmitter out) {
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

    @Override
    public void close() {
        capture.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the stream to return", e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("the stream did not return within 10 s of close()");
        }
        if (failure.get() != null) {
            throw new AssertionError("the stream failed", failure.get());
        }
    }
}
