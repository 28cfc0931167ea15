package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.TableRef;
import dev.flusso.testing.RecordingEmitter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lost connections, a state from elsewhere, a missing table. */
@SuppressWarnings("try") // the resources run threads the test waits on by closing them
class SourceProblemsTest {

    @Test
    void aTerminatedConnectionIsReopenedAndNothingIsLost() throws Exception {
        TestSource source = new TestSource();
        PollingCapture capture = source.capture();
        capture.canResume();
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            for (int round = 1; round <= 2; round++) {
                source.database.query("SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = 'flusso'");
                source.database.execute("INSERT INTO items VALUES (" + round + ", 'after kill')");
                assertEquals(String.valueOf(round), out.take(1, Duration.ofSeconds(20)).get(0).key().get("id"),
                        "a write made while the capture reconnects is polled");
            }
        }
        source.drop();
    }

    @Test
    void aStateAheadOfTheServerIsNotResumedFrom() throws Exception {
        TestSource source = new TestSource();
        Path file = Path.of((String) source.settings.get("state_file"));
        XidSnapshot future = XidSnapshot.parse("900000000:900000000:");
        new FileStateStore(file).save(Map.of(new TableRef("public", "items"), new TableCursor(future, null),
                new TableRef("public", "tags"), new TableCursor(future, null)));
        PollingCapture capture = source.capture();
        assertFalse(capture.canResume(), "a state from another server (or before a restore) means a rebuild");
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items VALUES (1, 'a')");
            assertEquals("1", out.take(1, Duration.ofSeconds(10)).get(0).key().get("id"), "polled from the new start");
        }
        assertTrue(new FileStateStore(file).load().get(new TableRef("public", "items")).snapshot().xmax() < future.xmax(),
                "the refused state was replaced");
        source.drop();
    }

    @Test
    void aMissingTableIsNamed() {
        TestSource source = new TestSource("DROP TABLE tags");
        PollingCapture capture = source.capture();
        capture.canResume();
        ConfigurationException error = assertThrows(ConfigurationException.class, capture::open);
        assertEquals(true, error.getMessage().startsWith("table 'public.tags' does not exist"), error.getMessage());
        capture.close();
        source.drop();
    }
}
