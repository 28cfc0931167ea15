package dev.flusso.core.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.FlussoException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The capture's view of the queue. Counts what it hands over, so the engine knows when the worker caught up, and
 * can be halted: a capture waiting on a full queue whose worker has stopped would otherwise wait forever.
 */
public final class CountingEmitter implements ChangeEmitter {

    private static final Duration HALT_CHECK = Duration.ofMillis(100);

    private final ChangeEmitter queue;
    private final Blame blame;
    private volatile long emitted;
    private volatile boolean halted;
    /**
     * A snapshot taken while the stream runs emits from a second thread: the queue is handed one change at a time,
     * in turn (fair), and no caller waits past its own timeout, so the stream's short offers still return in time to
     * answer the server.
     */
    private final ReentrantLock lock = new ReentrantLock(true);

    public CountingEmitter(ChangeEmitter queue) {
        this(queue, null);
    }

    /** An emitter into the run's queue, whose failures are the queue's. */
    public CountingEmitter(ChangeEmitter queue, Blame blame) {
        this.queue = queue;
        this.blame = blame;
    }

    @Override
    public void put(Change change) throws InterruptedException {
        while (!offer(change, HALT_CHECK)) {
            // full: wait on, looking for a halt in between
        }
    }

    @Override
    public boolean offer(Change change, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (halted) {
                throw new FlussoException("the run is stopping: no more changes are taken");
            }
            long left = deadline - System.nanoTime();
            Duration wait = Duration.ofNanos(Math.max(0, Math.min(left, HALT_CHECK.toNanos())));
            long lockStart = System.nanoTime();
            if (lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    Duration rest = Duration.ofNanos(Math.max(0, wait.toNanos() - (System.nanoTime() - lockStart)));
                    if (handOver(change, rest)) {
                        emitted++;
                        return true;
                    }
                } finally {
                    lock.unlock();
                }
            }
            if (left <= HALT_CHECK.toNanos()) {
                return false;
            }
        }
    }

    private boolean handOver(Change change, Duration wait) throws InterruptedException {
        try {
            return queue.offer(change, wait);
        } catch (RuntimeException e) {
            throw blame == null ? e : blame.note(e, Blame.QUEUE);
        }
    }

    /** Makes every waiting and later hand-over fail. Any thread. */
    public void halt() {
        halted = true;
    }

    /** {@return how many changes were handed over; any thread} */
    public long emitted() {
        return emitted;
    }
}
