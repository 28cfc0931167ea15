package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.Operation;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.postgres.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code heartbeat_interval} on a cluster of its own, idle but for the test, so every heartbeat seen is the
 * capture's. A second pgoutput slot with {@code messages = true} (which the capture's protocol-1 stream never asks
 * for) watches the WAL for them.
 */
class HeartbeatTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static PostgresServer server;

    @BeforeAll
    static void startIdleCluster() {
        server = PostgresServer.start(Map.of());
    }

    @AfterAll
    static void stopCluster() {
        server.stopAndRemove();
    }

    @Test
    void anIdleStreamWritesHeartbeatsAndItsSlotFollowsThemWithoutEmittingThem() throws Exception {
        TestSource source = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY)");
        source.with("heartbeat_interval", "200ms");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        String observer = watch(source);
        RecordingEmitter out = new RecordingEmitter(100).onProgress(marker -> capture.confirm(marker.position()));
        try (Streaming streaming = new Streaming(capture, out)) {
            List<Long> heartbeats = awaitHeartbeats(source, observer, 3);
            long third = heartbeats.get(2);
            long flushed = ConfirmationTest.awaitFlush(source, lsn -> lsn > third);
            assertTrue(flushed > capture.startPoint(), "the idle slot moved past the heartbeats");
            assertTrue(out.changes.isEmpty(), "heartbeats are not changes: " + out.changes);

            source.database.execute("INSERT INTO items VALUES (1)");
            List<Change> changes = out.take(1, WAIT);
            assertEquals(Operation.INSERT, changes.get(0).operation(), "the stream still works between heartbeats");
            assertNull(streaming.failure.get());
        } finally {
            source.database.query("SELECT pg_drop_replication_slot('" + observer + "')");
        }
        source.drop();
    }

    @Test
    void withoutHeartbeatsNoneIsWrittenAndTheIdleSlotStillKeepsUp() throws Exception {
        TestSource source = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY)");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        String observer = watch(source);
        try (Streaming streaming = new Streaming(capture, new RecordingEmitter(10).onProgress(marker -> capture.confirm(marker.position())))) {
            ConfirmationTest.awaitActive(source);
            long written = source.currentLsn();
            // Heartbeats are not what keeps an idle slot from retaining WAL: it follows the server's position anyway.
            ConfirmationTest.awaitFlush(source, lsn -> lsn >= written);
            Thread.sleep(1000); // five times the interval the other test uses
            assertEquals(List.of(), heartbeats(source, observer), "heartbeat_interval defaults to off");
        } finally {
            source.database.query("SELECT pg_drop_replication_slot('" + observer + "')");
        }
        source.drop();
    }

    /** Creates a slot that sees logical messages, and the publication its pgoutput needs; returns its name. */
    private static String watch(TestSource source) {
        String observer = "watch_" + source.slot.substring(2);
        source.database.query("SELECT pg_create_logical_replication_slot('" + observer + "', 'pgoutput')::text AS slot");
        return observer;
    }

    /** {@return the LSNs of the heartbeat messages the observer slot has seen so far, oldest first} */
    private static List<Long> heartbeats(TestSource source, String observer) {
        return source.database.query("SELECT lsn::text AS lsn FROM pg_logical_slot_peek_binary_changes('" + observer
                + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'flusso', 'messages', 'true')"
                + " WHERE get_byte(data, 0) = ascii('M') AND position(convert_to('flusso_heartbeat', 'UTF8') IN data) > 0"
                + " ORDER BY lsn").stream().map(row -> Lsn.parse((String) row.get("lsn"))).toList();
    }

    private static List<Long> awaitHeartbeats(TestSource source, String observer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Long> seen;
        while ((seen = heartbeats(source, observer)).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " flusso_heartbeat messages in the WAL of database '"
                        + source.database.name() + "' within " + WAIT + ", saw " + seen.size());
            }
            Thread.sleep(100);
        }
        return seen;
    }
}
