package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.IndexDefinition;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.postgres.PostgresServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection cut without a close (no FIN, no RST: a firewall or NAT dropping the flow) is noticed within a bounded
 * time, becomes a reconnect, and loses nothing. The capture reaches the shared cluster through {@link FreezingProxy}.
 */
class HalfOpenConnectionTest {

    @Test
    void aSilentlyCutReplicationConnectionIsNoticedAndReconnected() throws Exception {
        cutAndRecover(true);
    }

    @Test
    void aNetworkCutOfEveryConnectionIsNoticedAndReconnected() throws Exception {
        cutAndRecover(false);
    }

    private static void cutAndRecover(boolean replicationOnly) throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY, name text)");
        IndexDefinition index = TestSource.index("items", "items");
        try (FreezingProxy proxy = new FreezingProxy(PostgresServer.shared().port())) {
            // wal_sender_timeout is per connection: a short one keeps the staleness limit (half of it at least) short.
            source.with("connection_url", source.database.url().replace(":" + PostgresServer.shared().port() + "/", ":" + proxy.port() + "/")
                            + "?options=-c%20wal_sender_timeout%3D6s")
                    .with("status_interval", "1s").with("socket_timeout", "2s");
            WalCapture capture = source.capture(index);
            capture.open();
            RecordingEmitter out = new RecordingEmitter(100);
            try (Streaming streaming = new Streaming(capture, out)) {
                source.database.execute("INSERT INTO items VALUES (1, 'before the cut')");
                assertEquals(1, out.take(1, Duration.ofSeconds(30)).size());
                Dev.waitForReplicationConnections(proxy, 1);

                proxy.freeze(replicationOnly);
                long cut = System.nanoTime();
                source.database.execute("INSERT INTO items VALUES (2, 'during the cut')");

                // Nothing was confirmed, so the first change may come again after the reconnect: that is redelivery.
                List<Change> after = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (after.stream().noneMatch(c -> c.key().equals(java.util.Map.of("id", 2L))) && System.nanoTime() < deadline) {
                    after.addAll(out.drain(Duration.ofMillis(200)));
                }
                long noticedMillis = (System.nanoTime() - cut) / 1_000_000;
                assertTrue(after.stream().anyMatch(c -> c.key().equals(java.util.Map.of("id", 2L))),
                        "the change made during the cut arrives within 60 s: " + after);
                assertTrue(after.stream().allMatch(c -> c.key().get("id").equals(1L) || c.key().get("id").equals(2L)), after.toString());
                assertTrue(proxy.replicationConnections() >= 2, "the capture opened a new replication connection");
                assertTrue(streaming.isAlive(), "the stream reconnected instead of failing: " + streaming.failure.get());
                System.out.printf("%s cut: change delivered %d ms after the cut%n", replicationOnly ? "replication" : "network", noticedMillis);
            }
        }
        source.drop();
    }

    /** Small waits for the proxy. */
    private static final class Dev {
        static void waitForReplicationConnections(FreezingProxy proxy, int n) {
            dev.flusso.testing.process.Waits.until(n + " replication connection(s) through the proxy", Duration.ofSeconds(10),
                    () -> proxy.replicationConnections() >= n);
        }
    }
}
