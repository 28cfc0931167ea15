package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The position is stored only on confirm: a crash before it re-delivers, a restart after it does not. */
@SuppressWarnings("try") // the resources run threads the test waits on by closing them
class ConfirmationTest {

    @ParameterizedTest
    @ValueSource(strings = {"file", "table"})
    void aCrashBeforeConfirmRedeliversAndARestartAfterConfirmDoesNot(String state) throws Exception {
        TestSource source = new TestSource().with("state", state);
        if (state.equals("table")) {
            source.without("state_file").with("state_table", "flusso.state").with("state_name", "test");
            source.database.execute("CREATE SCHEMA flusso");
        }
        PollingCapture first = source.capture();
        assertFalse(first.canResume(), "nothing stored before the first run");
        first.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(first, out)) {
            source.database.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b')", "INSERT INTO tags VALUES (1, 1, 'x')");
            source.database.execute("UPDATE items SET name = 'c' WHERE id = 2");
            assertEquals(Set.of("items 1", "items 2", "tags 1"), names(out.take(3, Duration.ofSeconds(10))));
        }
        // Never confirmed: the next run polls the same rows again.
        PollingCapture second = source.capture();
        assertTrue(second.canResume(), "the state stored at the first open resumes");
        second.open();
        out = new RecordingEmitter(100);
        Change last;
        try (Streaming streaming = new Streaming(second, out)) {
            List<Change> again = out.take(3, Duration.ofSeconds(10));
            assertEquals(Set.of("items 1", "items 2", "tags 1"), names(again), "unconfirmed changes are delivered again");
            assertTrue(out.drain(Duration.ofMillis(300)).isEmpty(), "and only once in this run");
            last = again.get(2);
            second.confirm(last.position());
            Waits.until("the confirmed round to be stored", Duration.ofSeconds(10), () -> storedPast(source, state, second));
        }
        PollingCapture third = source.capture();
        assertTrue(third.canResume());
        third.open();
        out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(third, out)) {
            assertTrue(out.drain(Duration.ofMillis(500)).isEmpty(), "confirmed changes are not delivered again");
            source.database.execute("DELETE FROM tags", "INSERT INTO items VALUES (3, 'd')");
            assertEquals(Set.of("items 3"), names(out.take(1, Duration.ofSeconds(10))), "only what changed since");
            assertTrue(out.changes.stream().findAny().isEmpty());
        }
        source.drop();
    }

    /** {@return whether the stored cursor of table items moved past the snapshot this capture opened at} */
    private static boolean storedPast(TestSource source, String state, PollingCapture capture) {
        StateStore store = state.equals("file") ? new FileStateStore(java.nio.file.Path.of((String) source.settings.get("state_file")))
                : new TableStateStore(dev.flusso.postgres.PostgresConnections.dataSource(source.database.jdbcUrl()),
                        new dev.flusso.api.TableRef("flusso", "state"), "test");
        try (store) {
            Map<dev.flusso.api.TableRef, TableCursor> cursors = store.load();
            return !cursors.get(new dev.flusso.api.TableRef("public", "items")).snapshot().equals(capture.start().snapshot());
        }
    }

    private static Set<String> names(List<Change> changes) {
        return changes.stream().map(c -> c.table().name() + " " + c.key().get("id")).collect(Collectors.toSet());
    }
}
