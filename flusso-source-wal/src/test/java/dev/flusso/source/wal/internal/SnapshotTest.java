package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Operation;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.api.TableRef;
import dev.flusso.testing.RecordingEmitter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    @Test
    void readsKeysInKeyOrderVersionedAtTheSlotsPositionAndResumesAfterACheckpoint() throws Exception {
        TestSource source = new TestSource("CREATE TABLE pairs (a int, b text, PRIMARY KEY (a, b))",
                "INSERT INTO pairs SELECT i / 3, 'k' || (i % 3) FROM generate_series(1, 12000) i");
        source.database.execute("ANALYZE pairs");
        WalCapture capture = source.capture(TestSource.index("pairs", "pairs"));
        capture.open();
        TableRef pairs = new TableRef("public", "pairs");
        assertEquals(12000.0, (double) capture.estimateRows(new SnapshotRequest("pairs", pairs, List.of("a", "b"), Optional.empty()))
                .orElseThrow(), 1200, "the planner's estimate, once analyzed");
        List<Change> all = snapshot(capture, new SnapshotRequest("pairs", pairs, List.of("a", "b"), Optional.empty()));
        assertEquals(12000, all.size(), "more than two pages, every row once");
        assertEquals(Map.of("a", 0L, "b", "k1"), all.get(0).key());
        assertTrue(all.stream().allMatch(c -> c.operation() == Operation.SNAPSHOT && c.version() == capture.startPoint()));
        String checkpoint = ((SnapshotPosition) all.get(6999).position()).checkpoint();
        assertEquals(dev.flusso.postgres.DocumentIds.encode(List.of(String.valueOf(all.get(6999).key().get("a")),
                (String) all.get(6999).key().get("b"))), checkpoint, "checkpoints are keys encoded as the builder's ids");
        List<Change> rest = snapshot(capture, new SnapshotRequest("pairs", pairs, List.of("a", "b"), Optional.of(checkpoint)));
        assertEquals(all.subList(7000, 12000).stream().map(Change::key).toList(), rest.stream().map(Change::key).toList());
        capture.close();
        source.drop();
    }

    @Test
    void checkpointsOfTextKeysWithSeparatorsResumeExactlyAfterTheirRow() throws Exception {
        TestSource source = new TestSource("CREATE TABLE names (a text, b text, PRIMARY KEY (a, b))",
                "INSERT INTO names VALUES ('x|y', 'z'), ('x', 'y|z'), ('back\\slash', '|'), ('', 'empty'), ('x', '')");
        WalCapture capture = source.capture(TestSource.index("names", "names"));
        capture.open();
        TableRef names = new TableRef("public", "names");
        List<Change> all = snapshot(capture, new SnapshotRequest("names", names, List.of("a", "b"), Optional.empty()));
        assertEquals(5, all.size());
        for (int i = 0; i < all.size(); i++) {
            String checkpoint = ((SnapshotPosition) all.get(i).position()).checkpoint();
            List<Change> rest = snapshot(capture, new SnapshotRequest("names", names, List.of("a", "b"), Optional.of(checkpoint)));
            assertEquals(all.subList(i + 1, all.size()).stream().map(Change::key).toList(), rest.stream().map(Change::key).toList(),
                    "resuming after checkpoint '" + checkpoint + "'");
        }
        FlussoException wrong = org.junit.jupiter.api.Assertions.assertThrows(FlussoException.class, () -> snapshot(capture,
                new SnapshotRequest("names", names, List.of("a", "b"), Optional.of("no separator"))));
        assertTrue(wrong.getMessage().contains("index 'names'") && wrong.getMessage().contains("re-backfill"), wrong.getMessage());
        capture.close();
        source.drop();
    }

    /** Scenario 19: writers commit during slot creation and backfill; the snapshot and the stream miss nothing. */
    @Test
    void writersCommittingDuringSlotCreationAndBackfillLoseNothing() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL)",
                "INSERT INTO items SELECT i, 0 FROM generate_series(1, 20000) i");
        AtomicBoolean opened = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<int[]> afterOpen = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try (Connection connection = source.database.connect()) {
                PreparedStatement update = connection.prepareStatement("UPDATE items SET v = v + 1 WHERE id = ? RETURNING v");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO items VALUES (?, 1)");
                int next = 20001;
                while (!stop.get()) {
                    boolean started = opened.get();
                    int[] write;
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        insert.setInt(1, next);
                        insert.executeUpdate();
                        write = new int[] {next++, 1};
                    } else {
                        int id = ThreadLocalRandom.current().nextInt(1, next);
                        update.setInt(1, id);
                        try (ResultSet row = update.executeQuery()) {
                            row.next();
                            write = new int[] {id, row.getInt(1)};
                        }
                    }
                    if (started) {
                        synchronized (afterOpen) {
                            afterOpen.add(write);
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Thread.sleep(200);
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        opened.set(true);
        List<Change> snapshot = snapshot(capture, new SnapshotRequest("items", new TableRef("public", "items"),
                List.of("id"), Optional.empty()));
        Thread.sleep(200);
        stop.set(true);
        writer.join();
        RecordingEmitter out = new RecordingEmitter(1_000_000);
        List<Change> streamed;
        try (Streaming streaming = new Streaming(capture, out)) {
            streamed = new ArrayList<>(out.drain(Duration.ofSeconds(2)));
        }
        Map<Long, Set<Long>> streamedValues = new HashMap<>();
        for (Change change : streamed) {
            streamedValues.computeIfAbsent((Long) change.key().get("id"), k -> new HashSet<>()).add((Long) change.newValues().get("v"));
            assertTrue(change.version() >= capture.startPoint(), "streamed versions are not older than the snapshot's");
        }
        synchronized (afterOpen) {
            for (int[] write : afterOpen) {
                assertTrue(streamedValues.getOrDefault((long) write[0], Set.of()).contains((long) write[1]),
                        "the write of v=" + write[1] + " to id " + write[0] + " after the slot existed is streamed");
            }
        }
        Set<Long> seen = new HashSet<>(streamedValues.keySet());
        snapshot.forEach(change -> seen.add((Long) change.key().get("id")));
        for (Map<String, Object> row : source.database.query("SELECT id FROM items")) {
            assertTrue(seen.contains(((Integer) row.get("id")).longValue()), "row " + row + " is in the snapshot or the stream");
        }
        assertTrue(afterOpen.size() > 50, "the writer kept writing: " + afterOpen.size());
        source.drop();
    }

    static List<Change> snapshot(WalCapture capture, SnapshotRequest request) throws InterruptedException {
        List<Change> rows = new ArrayList<>();
        capture.snapshot(request, new ChangeEmitter() {
            @Override
            public void put(Change change) {
                rows.add(change);
            }

            @Override
            public boolean offer(Change change, Duration timeout) {
                rows.add(change);
                return true;
            }
        });
        return rows;
    }
}
