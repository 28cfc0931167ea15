package dev.flusso.reliability;

import dev.flusso.testing.process.Waits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scenarios 28 and 29: TRUNCATE of a child and of a root table; columns added and dropped while streaming and while stopped. */
class TruncateAndSchemaChangeTest {

    private static FlussoProcess streaming(Scenario scenario, int authors) {
        Library.create(scenario, authors);
        scenario.writeConfig("stop", Library.INDEX_SECTION, "");
        FlussoProcess flusso = scenario.run();
        flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
        return flusso;
    }

    @Test
    void childTruncateRebuildsEveryDocumentOfTheIndex() {
        try (Scenario scenario = Scenario.of("truncate/child-table")) {
            FlussoProcess flusso = streaming(scenario, 300);
            scenario.database.execute("TRUNCATE books");
            scenario.database.execute("INSERT INTO books VALUES (1, 7, 'after truncate', 10), (2, 7, 'second', 20)");
            // A junction truncated with RESTART IDENTITY and CASCADE in one statement with another table.
            scenario.database.execute("TRUNCATE author_genres, genres RESTART IDENTITY CASCADE");
            scenario.database.execute("INSERT INTO genres VALUES (1, 'only genre')", "INSERT INTO author_genres VALUES (7, 1), (8, 1)");
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(90));
            flusso.stop();
            scenario.pass();
        }
    }

    @Test
    void rootTruncateLeavesOnlyTheRowsInsertedAfterIt() {
        try (Scenario scenario = Scenario.of("truncate/root-table")) {
            FlussoProcess flusso = streaming(scenario, 300);
            scenario.database.execute("TRUNCATE authors");
            scenario.database.execute("INSERT INTO authors (id, name) VALUES (5, 'back again'), (100000, 'new')");
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(90));
            flusso.stop();
            scenario.pass();
        }
    }

    @Test
    void columnsAddedAndDroppedWhileStreamingAndWhileStopped() {
        try (Scenario scenario = Scenario.of("schema/columns-added-and-dropped")) {
            FlussoProcess flusso = streaming(scenario, 300);
            // While streaming: a column no index reads added and filled, another dropped; changes around each.
            scenario.database.execute("UPDATE books SET title = 'before ddl' WHERE id % 10 = 0");
            scenario.database.execute("ALTER TABLE books ADD COLUMN isbn text");
            scenario.database.execute("UPDATE books SET isbn = 'isbn-' || id, title = 'with isbn' WHERE id % 7 = 0");
            scenario.database.execute("ALTER TABLE authors DROP COLUMN unused");
            scenario.database.execute("UPDATE authors SET name = 'after drop ' || id WHERE id % 5 = 0",
                    "INSERT INTO authors (id, name) VALUES (5000, 'inserted after drop')");
            // A column added with a default (a rewrite-free catalog change) in the same transaction as changes.
            scenario.database.execute("ALTER TABLE books ADD COLUMN shelf int NOT NULL DEFAULT 3",
                    "UPDATE books SET author_id = 5000 WHERE id IN (1, 2, 3)");
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(90));
            String streamingEnd = scenario.currentLsn();
            Waits.until("the slot to pass the DDL", Duration.ofSeconds(60), () -> scenario.confirmedAtLeast(streamingEnd));
            flusso.stop();

            // While stopped: more columns change, then changes the next run must decode with the new descriptions.
            scenario.database.execute("ALTER TABLE books DROP COLUMN isbn", "ALTER TABLE genres ADD COLUMN note text DEFAULT 'n'");
            scenario.database.execute("UPDATE genres SET label = 'relabelled', note = 'x' WHERE id = 3",
                    "UPDATE books SET title = 'after restart', shelf = 4 WHERE id % 11 = 0", "DELETE FROM books WHERE id % 13 = 0");
            FlussoProcess again = scenario.run();
            scenario.awaitConverged(Library.oracle(scenario), Duration.ofSeconds(90));
            again.stop();
            scenario.pass();
        }
    }
}
