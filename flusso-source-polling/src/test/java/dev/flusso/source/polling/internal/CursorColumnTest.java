package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.testing.RecordingEmitter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A table polled by an {@code updated_at} column: a range read from the floor, the snapshot window still deciding. */
@SuppressWarnings("try") // the resources run threads the test waits on by closing them
class CursorColumnTest {

    private static final String UPDATED_AT = "ALTER TABLE items ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()";

    @Test
    void pollsByColumnWithoutMissingALateCommitWithinTheLookback() throws Exception {
        TestSource source = new TestSource(UPDATED_AT, "CREATE INDEX ON items (updated_at, id)")
                .with("cursor_columns", Map.of("public.items", "updated_at")).with("cursor_lookback", "1h");
        PollingCapture capture = source.capture();
        capture.canResume();
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out); Connection early = source.database.connect()) {
            early.setAutoCommit(false);
            try (Statement statement = early.createStatement()) {
                statement.execute("INSERT INTO items (id, name) VALUES (1, 'early')");
            }
            Thread.sleep(20);
            source.database.execute("INSERT INTO items (id, name) VALUES (2, 'late')");
            assertEquals("2", out.take(1, Duration.ofSeconds(10)).get(0).key().get("id"));
            early.commit();
            // Row 2 may be read again while 'early' is open: duplicates, never loss.
            out.takeMatching(c -> "1".equals(c.key().get("id")), "the smaller updated_at committed later", Duration.ofSeconds(10));
            source.database.execute("UPDATE items SET name = 'again', updated_at = now() WHERE id = 2");
            out.takeMatching(c -> "again".equals(c.newValues().get("name")), "the update of row 2", Duration.ofSeconds(10));
            // The documented limit: a value older than the lookback below the newest value read is below the floor.
            source.database.execute("INSERT INTO items (id, name, updated_at) VALUES (3, 'backdated', now() - interval '2 days')");
            assertTrue(out.drain(Duration.ofMillis(400)).stream().noneMatch(c -> "3".equals(c.key().get("id"))),
                    "a row below the floor is not read");
        }
        source.drop();
    }

    @Test
    void refusesACursorColumnThatMayBeNullOrDoesNotGrow() {
        TestSource source = new TestSource("ALTER TABLE items ADD COLUMN touched timestamptz");
        PollingCapture nullable = source.with("cursor_columns", Map.of("items", "touched")).capture();
        nullable.canResume();
        ConfigurationException error = assertThrows(ConfigurationException.class, nullable::open);
        assertEquals(true, error.getMessage().contains("table 'public.items', cursor column 'touched' may be NULL"), error.getMessage());
        nullable.close();
        PollingCapture text = source.with("cursor_columns", Map.of("items", "name")).capture();
        text.canResume();
        error = assertThrows(ConfigurationException.class, text::open);
        assertEquals(true, error.getMessage().contains("cursor column 'name' is of type text"), error.getMessage());
        text.close();
        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> source.with("cursor_columns", Map.of("public.nope", "x")).capture());
        assertEquals(true, unknown.getMessage().contains("names table 'public.nope', which no index reads"), unknown.getMessage());
        source.drop();
    }
}
