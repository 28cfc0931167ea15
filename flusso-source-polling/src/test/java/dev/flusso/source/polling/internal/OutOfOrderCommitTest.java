package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.testing.RecordingEmitter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
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
            assertTrue(out.drain(Duration.ofMillis(400)).isEmpty(), "nothing else while 'early' is open, over several rounds");
            early.commit();
            List<Change> second = out.take(1, Duration.ofSeconds(10));
            assertEquals("1", second.get(0).key().get("id"), "the earlier transaction, committed last, is not skipped");
            assertTrue(second.get(0).version() >= first.get(0).version(), "versions never decrease: " + first + " then " + second);

            // The other way round: the second writer takes its id first, and commits last.
            execute(late, "UPDATE items SET name = 'late again' WHERE id = 2");
            execute(early, "UPDATE items SET name = 'early again' WHERE id = 1");
            early.commit();
            List<Change> third = out.take(1, Duration.ofSeconds(10));
            assertEquals("1", third.get(0).key().get("id"));
            late.commit();
            List<Change> fourth = out.take(1, Duration.ofSeconds(10));
            assertEquals("2", fourth.get(0).key().get("id"), "an update committed after a newer transaction is polled");
            assertEquals("late again", fourth.get(0).newValues().get("name"), "with the row as committed");
            assertTrue(fourth.get(0).version() >= third.get(0).version(), "versions never decrease");
            assertTrue(third.get(0).version() >= second.get(0).version(), "versions never decrease");
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
                assertEquals(String.valueOf(i), out.take(1, Duration.ofSeconds(10)).get(0).key().get("id"),
                        "a short transaction is polled while an older one stays open");
            }
            open.commit();
            assertEquals("100", out.take(1, Duration.ofSeconds(10)).get(0).key().get("id"));
            assertTrue(out.drain(Duration.ofMillis(300)).isEmpty(), "each write is polled once");
        }
        source.drop();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
