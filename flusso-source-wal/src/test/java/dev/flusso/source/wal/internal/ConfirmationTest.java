package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class ConfirmationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void redeliversUnconfirmedChangesAfterRestartButNotConfirmedOnes() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        WalCapture first = source.capture(TestSource.index("items", "items"));
        first.open();
        RecordingEmitter out = new RecordingEmitter(100);
        List<Change> seen;
        try (Streaming streaming = new Streaming(first, out)) {
            source.database.execute("INSERT INTO items VALUES (1)", "INSERT INTO items VALUES (2)");
            source.database.execute("INSERT INTO items VALUES (3)");
            seen = out.take(3, WAIT);
            first.confirm(seen.get(1).position()); // the whole first transaction
            long firstEnd = awaitFlush(source, lsn -> lsn > seen.get(0).version());
            assertTrue(firstEnd < seen.get(2).version(), "the second transaction is not confirmed");
        }
        WalCapture second = source.capture(TestSource.index("items", "items"));
        second.open();
        RecordingEmitter again = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(second, again)) {
            List<Change> redelivered = again.take(1, WAIT);
            assertEquals(seen.get(2), redelivered.get(0), "the unconfirmed transaction arrives again, identical");
            assertTrue(again.drain(Duration.ofMillis(500)).isEmpty(), "confirmed changes do not arrive again");
        }
        source.drop();
    }

    @Test
    void neverConfirmsIntoTheMiddleOfATransaction() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        long before = source.confirmedFlush();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items SELECT generate_series(1, 10)");
            List<Change> changes = out.take(10, WAIT);
            capture.confirm(changes.get(8).position());
            Thread.sleep(1500); // more than the status interval: several status updates and keepalives pass
            // WAL is cluster-wide: before the transaction arrived the slot may have followed other databases' writes;
            // what must hold is that it never reaches this transaction's commit, so the whole of it comes again.
            long held = source.confirmedFlush();
            assertTrue(held >= before && held < changes.get(9).version(), "nine of ten changes confirmed: the slot ("
                    + Lsn.format(held) + ") must stay before the transaction's commit (" + Lsn.format(changes.get(9).version()) + ")");
            capture.confirm(changes.get(9).position());
            awaitFlush(source, lsn -> lsn > changes.get(9).version());
        }
        WalCapture again = source.capture(TestSource.index("items", "items"));
        again.open();
        RecordingEmitter out2 = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(again, out2)) {
            assertTrue(out2.drain(Duration.ofMillis(800)).isEmpty(), "the whole transaction was confirmed");
        }
        source.drop();
    }

    @Test
    void slotAdvancesWhileOnlyOtherDatabasesAndUnindexedTablesChange() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)", "CREATE TABLE noise (id int)");
        source.database.execute("CREATE PUBLICATION flusso FOR ALL TABLES");
        PostgresDatabase elsewhere = PostgresServer.shared().createDatabase();
        elsewhere.execute("CREATE TABLE busy (id int)");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        long start = source.confirmedFlush();
        // As the engine does once its sink recorded them: the slot follows the server only through these.
        RecordingEmitter out = new RecordingEmitter(100).onProgress(marker -> capture.confirm(marker.position()));
        try (Streaming streaming = new Streaming(capture, out)) {
            elsewhere.execute("INSERT INTO busy SELECT generate_series(1, 1000)");
            long afterOtherDatabase = elsewhere.query("SELECT pg_current_wal_lsn()::text AS l").stream()
                    .map(row -> Lsn.parse((String) row.get("l"))).findFirst().orElseThrow();
            awaitFlush(source, lsn -> lsn >= afterOtherDatabase);
            source.database.execute("INSERT INTO noise SELECT generate_series(1, 1000)");
            long afterNoise = source.currentLsn();
            awaitFlush(source, lsn -> lsn >= afterNoise);
            assertTrue(out.drain(Duration.ofMillis(200)).isEmpty());
            assertTrue(source.confirmedFlush() > start);
            assertNull(streaming.failure.get());
        }
        source.drop();
        elsewhere.drop();
    }

    @Test
    void anIdleSlotFollowsTheServerOnlyOnceItsProgressMarkerIsConfirmed() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)", "CREATE TABLE noise (id int)");
        source.database.execute("CREATE PUBLICATION flusso FOR ALL TABLES");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        long start = source.confirmedFlush();
        java.util.concurrent.BlockingQueue<Change> markers = new java.util.concurrent.LinkedBlockingQueue<>();
        RecordingEmitter out = new RecordingEmitter(100).onProgress(markers::add);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO noise SELECT generate_series(1, 1000)");
            long afterNoise = source.currentLsn();
            Change first = markers.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(first != null && first.version() > start, "a marker at the server's position: " + first);
            Thread.sleep(2500); // more than two status intervals: status updates go out, and no second marker
            assertEquals(start, source.confirmedFlush(), "an unconfirmed marker holds the slot where the sink recorded");
            assertTrue(markers.isEmpty(), "one marker waits at a time: " + markers);
            capture.confirm(first.position());
            awaitFlush(source, lsn -> lsn >= first.version());
            // WAL is cluster-wide: other databases' writes move the server on, and each move takes a marker of its own.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (source.confirmedFlush() < afterNoise && System.nanoTime() < deadline) {
                Change next = markers.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (next != null) {
                    capture.confirm(next.position());
                }
            }
            assertTrue(source.confirmedFlush() >= afterNoise, "the slot followed the confirmed markers past the noise");
            assertTrue(out.drain(Duration.ofMillis(200)).isEmpty());
        }
        source.drop();
    }

    @Test
    void theSlotIsCheckedAgainstTheSinksVersionOnlyWhenNoOtherProcessHoldsIt() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        WalCapture first = source.capture(TestSource.index("items", "items"));
        first.open();
        RecordingEmitter out = new RecordingEmitter(100);
        Change seen;
        try (Streaming streaming = new Streaming(first, out)) {
            source.database.execute("INSERT INTO items VALUES (1)");
            seen = out.take(1, WAIT).get(0);
            first.confirm(seen.position());
            awaitFlush(source, lsn -> lsn > seen.version());
            awaitActive(source);
            WalCapture second = source.capture(TestSource.index("items", "items"));
            assertTrue(second.canResume());
            assertEquals(java.util.Optional.empty(), second.confirmedBeyond(0),
                    "a process still streams and records as it goes (a rolling deployment): not checked");
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!source.database.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + source.slot + "' AND active").isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        WalCapture third = source.capture(TestSource.index("items", "items"));
        assertTrue(third.canResume());
        assertEquals(java.util.Optional.empty(), third.confirmedBeyond(seen.version()), "the sink recorded the confirmed change");
        String reason = third.confirmedBeyond(seen.version() - 1).orElseThrow();
        assertTrue(reason.contains(source.slot) && reason.contains(Lsn.format(seen.version() - 1)), reason);
        source.drop();
    }

    @Test
    void statusUpdatesKeepFlowingWhileTheQueueIsFull() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        // wal_sender_timeout is per connection: one second makes a silent client fail fast.
        source.with("connection_url", source.database.url() + "?options=-c%20wal_sender_timeout%3D1s");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(5);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items SELECT generate_series(1, 100)");
            Thread.sleep(5000); // the queue stays full for five wal_sender_timeouts
            List<Change> all = out.take(100, WAIT);
            assertEquals(100, all.stream().distinct().count(), "every change once: the connection was never cut");
            assertNull(streaming.failure.get());
            List<String> log = PostgresServer.shared().logTail(200).lines()
                    .filter(line -> line.contains("terminating walsender process due to replication timeout")
                            && line.contains(source.database.name())).toList();
            assertTrue(log.isEmpty(), "no walsender timed out: " + log);
        }
        source.drop();
    }

    /** Waits until the slot's confirmed_flush_lsn passes the test, returning it. */
    static long awaitFlush(TestSource source, LongPredicate test) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long lsn;
        while (!test.test(lsn = source.confirmedFlush())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("slot '" + source.slot + "' stayed at " + Lsn.format(lsn));
            }
            Thread.sleep(50);
        }
        return lsn;
    }

    /** Waits until the slot is held by a walsender. */
    static void awaitActive(TestSource source) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (source.database.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + source.slot
                + "' AND active").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("slot '" + source.slot + "' never became active");
            }
            Thread.sleep(50);
        }
    }
}
