package dev.flusso.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

    @Test
    void drawsOnlyWhenStandardErrorIsATerminal(@TempDir Path dir) throws Exception {
        assertTrue(Progress.isTerminal(Files.createSymbolicLink(dir.resolve("pts"), Path.of("/dev/pts/7"))), "a pseudo-terminal");
        assertTrue(Progress.isTerminal(Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/tty1"))), "a console");
        assertFalse(Progress.isTerminal(Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[4242]"))), "a pipe");
        assertFalse(Progress.isTerminal(Files.createSymbolicLink(dir.resolve("log"), dir.resolve("run.log"))), "a file");
        assertFalse(Progress.isTerminal(Files.writeString(dir.resolve("plain"), "")), "not a descriptor link at all");
        // Under the test runner standard error is a pipe or a file, never a terminal.
        assertEquals(null, Progress.terminal(), "no live line when standard error is redirected");
    }

    @Test
    void backfillLineShowsRowsOfTheEstimateRateAndTimeLeft() {
        Metrics.Backfill halfway = new Metrics.Backfill("backfilling", 500, 1_000L, Instant.EPOCH);
        assertEquals("authors [##########..........]  50% 500/~1,000 rows, 100 rows/s, eta 5s",
                Progress.backfillLine("authors", halfway, 100));
        Metrics.Backfill unknown = new Metrics.Backfill("backfilling", 42, null, Instant.EPOCH);
        assertEquals("authors: 42 rows, 7 rows/s", Progress.backfillLine("authors", unknown, 7));
    }
}
