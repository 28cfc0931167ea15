package dev.flusso.testing.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.process.Unprivileged;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void startsOneClusterWithLogicalReplicationAsTheUnprivilegedUser() {
        PostgresServer server = PostgresServer.shared();
        assertTrue(server == PostgresServer.shared(), "one cluster per test JVM");
        PostgresDatabase database = server.createDatabase();
        assertEquals(List.of(Map.of("wal_level", "logical")), database.query("SHOW wal_level"));
        assertEquals(List.of(Map.of("max_replication_slots", "20")), database.query("SHOW max_replication_slots"));
        assertTrue(Files.exists(server.folder().resolve("data")), "data folder in " + server.folder());
    }

    @Test
    void givesEachTestADatabaseOfItsOwn() {
        PostgresDatabase first = PostgresServer.shared().createDatabase();
        PostgresDatabase second = PostgresServer.shared().createDatabase();
        assertNotEquals(first.name(), second.name());
        first.execute("CREATE TABLE only_here (id int PRIMARY KEY)", "INSERT INTO only_here VALUES (1)");
        assertEquals(1, first.query("SELECT * FROM only_here").size());
        assertTrue(second.query("SELECT 1 FROM pg_tables WHERE tablename = 'only_here'").isEmpty(),
                "the second database does not see the first one's table");
        second.drop();
    }

    @Test
    void acceptsReplicationConnectionsFromLoopback() throws Exception {
        PostgresDatabase database = PostgresServer.shared().createDatabase();
        try (Connection connection = database.connect()) {
            connection.createStatement().execute("SELECT pg_create_logical_replication_slot('harness_slot', 'pgoutput')");
            try (ResultSet rows = connection.createStatement().executeQuery(
                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'harness_slot'")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
            connection.createStatement().execute("SELECT pg_drop_replication_slot('harness_slot')");
        }
        String hba = Files.readString(PostgresServer.shared().folder().resolve("data/pg_hba.conf"));
        assertTrue(hba.lines().anyMatch(line -> line.startsWith("host") && line.contains("replication")
                && line.contains("127.0.0.1/32") && line.contains("trust")), "pg_hba.conf allows replication:\n" + hba);
    }

    @Test
    void runsTheServerAsTheUnprivilegedUserWhenRoot() {
        PostgresDatabase database = PostgresServer.shared().createDatabase();
        // The server process's own user owns the files it creates, such as its pid file.
        assertFalse(database.query("SELECT current_setting('data_directory') AS d").isEmpty());
        if (Unprivileged.isRoot()) {
            assertEquals(Unprivileged.USER, fileOwner(PostgresServer.shared().folder().resolve("data/postmaster.pid")));
        }
    }

    private static String fileOwner(java.nio.file.Path file) {
        try {
            return Files.getOwner(file).getName();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read the owner of " + file, e);
        }
    }
}
