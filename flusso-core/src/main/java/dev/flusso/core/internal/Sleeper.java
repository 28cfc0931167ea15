package dev.flusso.core.internal;

import java.time.Duration;

/** Waits; a seam so that tests of retry and backoff need not sleep. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
