package dev.flusso.testing.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.testing.process.Unprivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

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

    @Test
    void startsAClusterOfItsOwnWithExtraSettings() {
        PostgresServer own = PostgresServer.start(Map.of("wal_level", "replica", "max_connections", "20"));
        try {
            assertNotEquals(PostgresServer.shared().port(), own.port(), "not the shared cluster");
            PostgresDatabase database = own.createDatabase();
            assertEquals(List.of(Map.of("wal_level", "replica")), database.query("SHOW wal_level"));
            assertEquals(List.of(Map.of("max_connections", "20")), database.query("SHOW max_connections"), "extra settings win");
            assertEquals(List.of(Map.of("listen_addresses", "127.0.0.1")), database.query("SHOW listen_addresses"));
            assertTrue(own.rootCertificate().isEmpty(), "no TLS unless asked");
            assertEquals(List.of(Map.of("wal_level", "logical")), PostgresServer.shared().createDatabase().query("SHOW wal_level"),
                    "the shared cluster keeps its settings");
        } finally {
            own.stopAndRemove();
        }
        assertFalse(own.isAlive(), "stopped");
        assertFalse(Files.exists(own.folder()), "folder removed: " + own.folder());
    }

    @Test
    void startsATlsOnlyClusterThatRefusesPlainConnectionsAndUntrustedRoots() throws Exception {
        PostgresServer tls = PostgresServer.startWithTls(Map.of());
        try {
            Path root = tls.rootCertificate().orElseThrow();
            PostgresDatabase database = tls.createDatabase();
            String url = "jdbc:postgresql://127.0.0.1:" + tls.port() + "/" + database.name();
            try (Connection verified = connect(url, "verify-full", root, false)) {
                assertEquals(Boolean.TRUE, scalar(verified, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
                        "pg_stat_ssl shows the verified connection encrypted");
            }
            try (Connection replication = connect(url, "verify-full", root, true)) {
                assertTrue(replication.isValid(2), "a verified replication connection is accepted");
            }
            SQLException plain = assertThrows(SQLException.class, () -> connect(url, "disable", root, false).close());
            assertTrue(plain.getMessage().contains("no encryption"), "a plain connection is refused: " + plain.getMessage());
            SQLException plainReplication = assertThrows(SQLException.class, () -> connect(url, "disable", root, true).close());
            assertTrue(plainReplication.getMessage().contains("no encryption"),
                    "a plain replication connection is refused: " + plainReplication.getMessage());
            Path other = Certificates.root(Files.createDirectories(tls.folder().resolve("elsewhere")), "other");
            SQLException untrusted = assertThrows(SQLException.class, () -> connect(url, "verify-ca", other, false).close());
            assertEquals("08006", untrusted.getSQLState(), "a root that did not sign the server's certificate: " + untrusted);
            Path key = tls.folder().resolve("tls/server.key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), "server key mode");
            if (Unprivileged.isRoot()) {
                assertEquals(Unprivileged.USER, fileOwner(key), "the server's user owns its key");
            }
        } finally {
            tls.stopAndRemove();
        }
    }

    private static Connection connect(String url, String sslmode, Path root, boolean replication) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.USER);
        properties.setProperty("sslmode", sslmode);
        properties.setProperty("sslrootcert", root.toString());
        if (replication) {
            properties.setProperty("replication", "database");
            properties.setProperty("preferQueryMode", "simple");
            properties.setProperty("assumeMinServerVersion", "10");
        }
        return new Driver().connect(url, properties);
    }

    private static Object scalar(Connection connection, String sql) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getObject(1);
        }
    }
}
