package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.process.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scenario 30: transactions committing out of the order of their ids, and of their writes, are all polled. */
@SuppressWarnings("try") // the resources run threads the test waits on by closing them
class OutOfOrderCommitTest {

    @Test
    void aTransactionCommittingAfterALaterOneIsNotSkipped() throws Exception {
        TestSource source = new TestSource();
        PollingCapture capture = source.capture();
        capture.canResume();
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out);
                Connection early = source.database.connect(); Connection late = source.database.connect()) {
            early.setAutoCommit(false);
            late.setAutoCommit(false);
            // 'early' takes its transaction id first, 'late' second; 'late' commits first.
            execute(early, "INSERT INTO items VALUES (1, 'early')");
            execute(late, "INSERT INTO items VALUES (2, 'late')");
            late.commit();
            List<Change> first = out.take(1, Duration.ofSeconds(10));
            assertEquals("2", first.get(0).key().get("id"), "the later transaction, committed first, is polled first");
            Thread.sleep(400);
            // While 'early' is open its row is invisible; 'late''s row may be read again (duplicates, never loss).
            for (Change again : out.changes.toArray(new Change[0])) {
                assertEquals("2", again.key().get("id"), "only 'late''s row while 'early' is open: " + again);
            }
            early.commit();
            Change second = next(out, "1");
            assertTrue(second.version() >= first.get(0).version(), "versions never decrease: " + first + " then " + second);

            // The other way round: the second writer takes its id first, and commits last.
            execute(late, "UPDATE items SET name = 'late again' WHERE id = 2");
            execute(early, "UPDATE items SET name = 'early again' WHERE id = 1");
            early.commit();
            Change third = next(out, "1", "early again");
            late.commit();
            Change fourth = next(out, "2", "late again");
            assertTrue(fourth.version() >= third.version(), "versions never decrease");
            assertTrue(third.version() >= second.version(), "versions never decrease");
        }
        source.drop();
    }

    @Test
    void aLongTransactionDoesNotHoldBackOthers() throws Exception {
        TestSource source = new TestSource();
        PollingCapture capture = source.capture();
        capture.canResume();
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out); Connection open = source.database.connect()) {
            open.setAutoCommit(false);
            execute(open, "INSERT INTO items VALUES (100, 'long')");
            for (int i = 1; i <= 3; i++) {
                source.database.execute("INSERT INTO items VALUES (" + i + ", 'short " + i + "')");
                // Passes over earlier short rows read again while the long transaction stays open.
                next(out, String.valueOf(i));
            }
            open.commit();
            next(out, "100");
            // Once no writing transaction is open, rows stop being read again.
            Waits.until("the polls to go quiet", Duration.ofSeconds(10), () -> {
                try {
                    return out.drain(Duration.ofMillis(300)).isEmpty();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        source.drop();
    }

    /**
     * Rows written under savepoints have transaction ids of their own (subtransactions), which a snapshot's list of
     * running transactions does not name: they must still be read once their top-level transaction commits, however
     * many rounds it stayed open across.
     */
    @Test
    void rowsWrittenUnderSavepointsOfATransactionOpenAcrossRoundsAreNotSkipped() throws Exception {
        TestSource source = new TestSource();
        PollingCapture capture = source.capture();
        capture.canResume();
        capture.open();
        RecordingEmitter out = new RecordingEmitter(1000);
        try (Streaming streaming = new Streaming(capture, out); Connection open = source.database.connect()) {
            open.setAutoCommit(false);
            execute(open, "INSERT INTO items VALUES (1, 'top level')");
            // Rounds pass while the transaction is open, each seeing it as running.
            source.database.execute("INSERT INTO items VALUES (2, 'other')");
            next(out, "2");
            execute(open, "SAVEPOINT a");
            execute(open, "INSERT INTO items VALUES (3, 'under a savepoint')");
            execute(open, "RELEASE SAVEPOINT a");
            source.database.execute("INSERT INTO items VALUES (4, 'other again')");
            next(out, "4");
            execute(open, "SAVEPOINT b");
            execute(open, "UPDATE items SET name = 'updated under a savepoint' WHERE id = 2");
            execute(open, "RELEASE SAVEPOINT b");
            execute(open, "SAVEPOINT c");
            execute(open, "INSERT INTO items VALUES (5, 'rolled back')");
            execute(open, "ROLLBACK TO SAVEPOINT c");
            Thread.sleep(300);
            open.commit();
            Map<String, String> expected = Map.of("1", "top level", "2", "updated under a savepoint", "3", "under a savepoint");
            Map<String, String> seen = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!seen.entrySet().containsAll(expected.entrySet()) && System.nanoTime() < deadline) {
                Change change = out.changes.poll(100, TimeUnit.MILLISECONDS);
                if (change != null) {
                    assertNotEquals("5", change.key().get("id"), "a row rolled back to its savepoint is never read: " + change);
                    seen.put(change.key().get("id").toString(), String.valueOf(change.newValues().get("name")));
                }
            }
            assertTrue(seen.entrySet().containsAll(expected.entrySet()), "every row the transaction committed, savepoints'"
                    + " included, is read: expected " + expected + ", read " + seen);
        }
        source.drop();
    }

    /** {@return the first change to the key (with the name, when given) still to come} Duplicates before it pass. */
    private static Change next(RecordingEmitter out, String id, String... name) throws InterruptedException {
        return out.takeMatching(c -> id.equals(c.key().get("id")) && (name.length == 0 || name[0].equals(c.newValues().get("name"))),
                "a change to id " + id + (name.length == 0 ? "" : " with name '" + name[0] + "'"), Duration.ofSeconds(10));
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
