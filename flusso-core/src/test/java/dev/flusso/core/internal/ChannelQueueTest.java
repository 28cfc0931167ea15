package dev.flusso.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeBatch;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.TableRef;
import dev.flusso.testing.FakeDatabase.LogPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelQueueTest {

    private static final TableRef T = new TableRef("public", "t");
    private final List<Position> confirmed = new ArrayList<>();

    private ChannelQueue queue(int capacity) {
        ChannelQueue queue = new ChannelQueue(capacity);
        queue.open(confirmed::add);
        return queue;
    }

    private static Change change(long i) {
        return Change.insert(T, Map.of("id", i), Map.of("id", i), i, new LogPosition(i));
    }

    @Test
    void pollTakesUpToMaxChangesOfWhatIsQueued() throws Exception {
        ChannelQueue queue = queue(100);
        for (int i = 0; i < 25; i++) {
            queue.put(change(i));
        }
        BatchPolicy policy = new BatchPolicy(10, Duration.ZERO);
        assertEquals(10, queue.poll(policy, Duration.ZERO).changes().size());
        assertEquals(10, queue.poll(policy, Duration.ZERO).changes().size());
        assertEquals(5, queue.poll(policy, Duration.ZERO).changes().size());
        assertTrue(queue.poll(policy, Duration.ZERO).isEmpty(), "an empty queue gives an empty batch");
    }

    @Test
    void aBatchWaitsForMoreUntilMaxDelayAfterItsFirstChange() throws Exception {
        ChannelQueue queue = queue(100);
        queue.put(change(0));
        CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(50);
                queue.put(change(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ChangeBatch batch = queue.poll(new BatchPolicy(2, Duration.ofSeconds(30)), Duration.ZERO);
        late.get(5, TimeUnit.SECONDS);
        assertEquals(2, batch.changes().size(), "the change arriving within max_delay joins the batch");
    }

    @Test
    void withNoMaxDelayABatchClosesAsSoonAsNothingMoreIsReady() throws Exception {
        ChannelQueue queue = queue(100);
        queue.put(change(0));
        queue.put(change(1));
        long started = System.nanoTime();
        ChangeBatch batch = queue.poll(new BatchPolicy(1_000, Duration.ZERO), Duration.ofSeconds(30));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(2, batch.changes().size(), "the batch is what was ready");
        assertTrue(waitedMs < 1_000, "a batch of what is ready does not wait for more; waited " + waitedMs + " ms");
    }

    @Test
    void offerGivesUpWhenFullAndPutBlocks() throws Exception {
        ChannelQueue queue = queue(2);
        assertTrue(queue.offer(change(0), Duration.ZERO));
        assertTrue(queue.offer(change(1), Duration.ZERO));
        assertFalse(queue.offer(change(2), Duration.ofMillis(20)), "a full queue refuses an offer");
        assertEquals(2, queue.size());
        assertEquals(2, queue.capacity());
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                queue.put(change(2));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertFalse(put.isDone(), "put waits while the queue is full");
        queue.poll(new BatchPolicy(1, Duration.ZERO), Duration.ZERO);
        put.get(5, TimeUnit.SECONDS);
    }

    @Test
    void confirmsOnlyTheContiguousPrefixOfAcknowledgedBatches() throws Exception {
        ChannelQueue queue = queue(100);
        for (int i = 0; i < 6; i++) {
            queue.put(change(i));
        }
        BatchPolicy two = new BatchPolicy(2, Duration.ZERO);
        ChangeBatch first = queue.poll(two, Duration.ZERO);
        ChangeBatch second = queue.poll(two, Duration.ZERO);
        ChangeBatch third = queue.poll(two, Duration.ZERO);
        queue.acknowledge(third);
        queue.acknowledge(second);
        assertEquals(List.of(), confirmed, "nothing is confirmed while an earlier batch is unacknowledged");
        queue.acknowledge(first);
        assertEquals(List.of(new LogPosition(5)), confirmed, "acknowledging the first confirms through the last");
    }

    @Test
    void neverConfirmsSnapshotPositions() throws Exception {
        ChannelQueue queue = queue(10);
        queue.put(Change.snapshot(T, Map.of("id", 1L), 7, new SnapshotPosition("i", "1")));
        queue.acknowledge(queue.poll(new BatchPolicy(5, Duration.ZERO), Duration.ZERO));
        assertEquals(List.of(), confirmed);
    }

    @Test
    void refusesASecondAcknowledgement() throws Exception {
        ChannelQueue queue = queue(10);
        queue.put(change(0));
        ChangeBatch batch = queue.poll(new BatchPolicy(5, Duration.ZERO), Duration.ZERO);
        queue.acknowledge(batch);
        assertThrows(IllegalStateException.class, () -> queue.acknowledge(batch));
    }

    @Test
    void closeReleasesABlockedPut() throws Exception {
        ChannelQueue queue = queue(1);
        queue.put(change(0));
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                queue.put(change(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(20);
        queue.close();
        Exception e = assertThrows(Exception.class, () -> put.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof FlussoException, "a put on a closed queue fails: " + e.getCause());
    }
}
