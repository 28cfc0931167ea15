package dev.flusso.api;

import java.time.Duration;

/**
 * Where a capture hands its changes: the bounded queue, seen from the capture thread.
 *
 * <p>Both methods are called on the capture thread only and apply back-pressure: when the queue is full they wait.
 * A capture that must keep talking to its source while it waits (a replication connection sends status updates,
 * or the server cuts it off) uses {@link #offer} with a short timeout and services its connection in between.
 */
public interface ChangeEmitter {

    /**
     * Hands over a change, waiting as long as the queue is full.
     *
     * @param change the change, never {@code null}
     * @throws InterruptedException if the capture thread is interrupted while waiting: the run is stopping
     */
    void put(Change change) throws InterruptedException;

    /**
     * Hands over a change if the queue has room within the timeout.
     *
     * @param change the change, never {@code null}
     * @param timeout the longest wait, never {@code null}
     * @return whether the change was taken; if not, the caller still owns it and offers it again
     * @throws InterruptedException if the capture thread is interrupted while waiting: the run is stopping
     */
    boolean offer(Change change, Duration timeout) throws InterruptedException;
}
