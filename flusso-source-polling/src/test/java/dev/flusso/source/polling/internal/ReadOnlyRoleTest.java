package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.postgres.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A role with nothing but SELECT backfills and polls, with its state in a local file. */
@SuppressWarnings("try") // the resources run threads the test waits on by closing them
class ReadOnlyRoleTest {

    @Test
    void aSelectOnlyRoleBackfillsAndPollsWithAStateFile() throws Exception {
        TestSource source = new TestSource("INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        String role = "reader_" + source.database.name().toLowerCase();
        source.database.execute("CREATE ROLE " + role + " LOGIN", "GRANT SELECT ON items, tags TO " + role,
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        source.with("connection_url", "postgres://" + role + "@127.0.0.1:" + PostgresServer.shared().port() + "/"
                + source.database.name());

        PollingCapture capture = source.capture();
        assertFalse(capture.canResume());
        capture.open();
        IndexDefinition index = source.indexes().get(0);
        RecordingEmitter out = new RecordingEmitter(100);
        capture.snapshot(SnapshotRequest.of(index, Optional.empty()), out);
        List<Change> backfill = out.take(2, Duration.ofSeconds(5));
        assertEquals(List.of("1", "2"), backfill.stream().map(c -> c.key().get("id")).toList(), "root keys in key order");
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("UPDATE items SET name = 'changed' WHERE id = 2", "INSERT INTO tags VALUES (1, 1, 'x')");
            List<Change> polled = out.take(2, Duration.ofSeconds(10));
            assertEquals(List.of("items", "tags"), polled.stream().map(c -> c.table().name()).sorted().toList());
            assertTrue(polled.stream().allMatch(c -> c.version() >= backfill.get(0).version()),
                    "polled changes are not older than the backfill");
            out.changes.clear();
        }

        PollingCapture withTable = source.without("state_file").with("state", "table").capture();
        withTable.canResume();
        ConfigurationException refused = assertThrows(ConfigurationException.class, withTable::open);
        assertTrue(refused.getMessage().contains("state = \"file\""), "the error says what to do: " + refused.getMessage());
        withTable.close();
        // The role stays: roles are cluster-wide, and the cluster goes with the test JVM.
        source.drop();
    }
}
