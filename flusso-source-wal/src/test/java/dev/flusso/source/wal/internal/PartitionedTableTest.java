package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.api.Change;
import dev.flusso.api.TableRef;
import dev.flusso.testing.RecordingEmitter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionedTableTest {

    @Test
    void changesToAnyPartitionArriveUnderTheParentsName() throws Exception {
        TestSource source = new TestSource(
                "CREATE TABLE events (id int, day int, note text, PRIMARY KEY (id, day)) PARTITION BY RANGE (day)",
                "CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100)");
        WalCapture capture = source.capture(TestSource.index("events", "events"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO events VALUES (1, 5, 'a')");
            source.database.execute("CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (100) TO (200)");
            source.database.execute("INSERT INTO events VALUES (2, 150, 'b')");
            source.database.execute("UPDATE events SET day = 160 WHERE id = 1");
            List<Change> changes = out.take(3, Duration.ofSeconds(20));
            TableRef events = new TableRef("public", "events");
            changes.forEach(change -> assertEquals(events, change.table(), "published via the root: " + change));
            assertEquals(Map.of("id", 1L, "day", 5L), changes.get(0).key());
            assertEquals(Map.of("id", 2L, "day", 150L), changes.get(1).key(), "a partition added later");
        }
        source.drop();
    }
}
