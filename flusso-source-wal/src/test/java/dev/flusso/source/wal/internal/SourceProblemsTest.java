package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import dev.flusso.api.TableRef;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.postgres.PostgresServer;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceProblemsTest {

    @Test
    void aRoleWithoutReplicationIsToldToAlterIt() {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        String role = "plain_" + source.slot;
        source.database.execute("CREATE ROLE " + role + " LOGIN");
        source.with("connection_url", source.database.url().replace("postgres@", role + "@"));
        FlussoException e = assertThrows(FlussoException.class, () -> source.capture(TestSource.index("items", "items")).open());
        assertTrue(e.getMessage().contains("ALTER ROLE \"" + role + "\" REPLICATION"), e.getMessage());
    }

    @Test
    void aSlotInUseNamesTheProcess() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        WalCapture first = source.capture(TestSource.index("items", "items"));
        first.open();
        try (Streaming streaming = new Streaming(first, new RecordingEmitter(10))) {
            ConfirmationTest.awaitActive(source);
            WalCapture second = source.capture(TestSource.index("items", "items"));
            second.slotPatience(Duration.ofMillis(300));
            FlussoException e = assertThrows(FlussoException.class, second::open);
            assertTrue(e.getMessage().contains("is in use by process") && e.getMessage().contains("pg_terminate_backend("),
                    e.getMessage());
        }
        source.drop();
    }

    @Test
    void aSlotDroppedUnderTheStreamFailsItSayingChangesMayBeLost() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        try (Streaming streaming = new Streaming(capture, new RecordingEmitter(10))) {
            ConfirmationTest.awaitActive(source);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (source.confirmedFlush() >= 0 && System.nanoTime() < deadline) {
                try (Connection connection = source.database.connect()) {
                    connection.createStatement().execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                            + " WHERE slot_name = '" + source.slot + "' AND active_pid IS NOT NULL");
                    connection.createStatement().execute("SELECT pg_drop_replication_slot('" + source.slot + "')");
                } catch (Exception e) {
                    // still active: our capture reconnected first; try again
                }
            }
            Throwable failure = streaming.awaitFailure(20_000);
            assertTrue(failure != null && failure.getMessage().contains("was dropped while flusso was using it"),
                    String.valueOf(failure));
        }
    }

    @Test
    void anInvalidatedSlotMidStreamFailsSayingTheNextRunBackfills() {
        FlussoException e = Problems.slotLost("flusso");
        assertTrue(e.getMessage().contains("wal_status = 'lost'") && e.getMessage().contains("recreates the slot and backfills every index"),
                e.getMessage());
        Slots.Slot lost = new Slots.Slot("pgoutput", "db", 0, "lost", 0);
        assertThrows(FlussoException.class, () -> new Slots(null, "flusso").check(lost, "db", Duration.ZERO));
    }

    @Test
    void walLevelBelowLogicalNamesTheSettingAndTheRestart() {
        String message = Problems.walLevel("replica").getMessage();
        assertTrue(message.contains("ALTER SYSTEM SET wal_level = logical") && message.contains("restart"), message);
    }

    @Test
    void aServerWithWalLevelReplicaFailsOpenNamingTheSettingAndTheRestart() {
        PostgresServer replica = PostgresServer.start(Map.of("wal_level", "replica"));
        try {
            TestSource source = new TestSource(replica, "CREATE TABLE items (id int PRIMARY KEY)");
            FlussoException e = assertThrows(FlussoException.class, () -> source.capture(TestSource.index("items", "items")).open());
            assertFalse(e instanceof RetriableException, "retrying cannot fix wal_level: " + e);
            assertTrue(e.getMessage().contains("wal_level is 'replica'")
                    && e.getMessage().contains("ALTER SYSTEM SET wal_level = logical") && e.getMessage().contains("restart"),
                    "the real server's wal_level is named with the fix: " + e.getMessage());
            assertEquals(List.of(), source.database.query("SELECT pubname FROM pg_publication"), "nothing was created");
            assertEquals(List.of(), source.database.query("SELECT slot_name FROM pg_replication_slots"), "nothing was created");
        } finally {
            replica.stopAndRemove();
        }
    }

    @Test
    void aSlotOfAnotherDatabaseIsRefused() {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)");
        TestSource other = new TestSource().with("slot", source.slot);
        source.capture(TestSource.index("items", "items")).open();
        other.database.execute("CREATE TABLE items (id int PRIMARY KEY)");
        FlussoException e = assertThrows(FlussoException.class, () -> other.capture(TestSource.index("items", "items")).open());
        assertTrue(e.getMessage().contains("belongs to database '" + source.database.name() + "'"), e.getMessage());
        source.drop();
    }

    @Test
    void aRoleThatOwnsNoTableStreamsAndIsGivenTheStatementsItMayNotRun() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)", "CREATE TABLE \"Kids\" (id int PRIMARY KEY)",
                "CREATE PUBLICATION owned_elsewhere FOR TABLE items");
        String role = "repl_" + source.slot;
        source.database.execute("CREATE ROLE " + role + " LOGIN REPLICATION", "GRANT SELECT ON items, \"Kids\" TO " + role);
        String asRole = source.database.url().replace("postgres@", role + "@");
        Set<TableRef> tables = Set.of(new TableRef("public", "items"), new TableRef("public", "Kids"));
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", role);
        try (Connection connection = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:"
                + source.database.server().port() + "/" + source.database.name(), login)) {
            assertEquals(List.of("ALTER PUBLICATION \"owned_elsewhere\" ADD TABLE \"public\".\"Kids\";"),
                    new Publications(connection, "owned_elsewhere", true).ensure(tables, Set.of()),
                    "managed, but the role owns neither the publication nor the table: the statement is left to run");
        }
        source.with("connection_url", asRole).with("publication", "owned_elsewhere");
        try (WalCapture capture = source.capture(TestSource.index("items", "items", "Kids"))) {
            capture.open();
        }
        assertEquals(List.of(Map.of("tablename", "items")), source.database.query(
                "SELECT tablename FROM pg_publication_tables WHERE pubname = 'owned_elsewhere'"), "the publication is untouched");

        // No publication, and no CREATE on the database to make one: the run cannot stream, so it stops, saying what to run.
        source.with("publication", "never_made");
        FlussoException e = assertThrows(FlussoException.class,
                () -> source.capture(TestSource.index("items", "items", "Kids")).open());
        assertTrue(e.getMessage().contains("CREATE PUBLICATION \"never_made\" FOR TABLE"), e.getMessage());
    }

    @Test
    void anUnmanagedPublicationMissingATableGetsTheExactStatement() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)", "CREATE TABLE \"Kids\" (id int PRIMARY KEY)",
                "CREATE PUBLICATION flusso FOR TABLE items");
        try (Connection connection = source.database.connect()) {
            List<String> todo = new Publications(connection, "flusso", false)
                    .ensure(Set.of(new TableRef("public", "items"), new TableRef("public", "Kids")), Set.of());
            assertEquals(List.of("ALTER PUBLICATION \"flusso\" ADD TABLE \"public\".\"Kids\";"), todo);
            List<String> managed = new Publications(connection, "flusso", true)
                    .ensure(Set.of(new TableRef("public", "items"), new TableRef("public", "Kids")), Set.of());
            assertEquals(List.of(), managed, "managed: extended, nothing left to do");
        }
        source.with("manage_publication", false).with("publication", "absent");
        FlussoException e = assertThrows(FlussoException.class, () -> source.capture(TestSource.index("items", "items")).open());
        assertTrue(e.getMessage().contains("CREATE PUBLICATION \"absent\" FOR TABLE \"public\".\"items\""), e.getMessage());
    }
}
