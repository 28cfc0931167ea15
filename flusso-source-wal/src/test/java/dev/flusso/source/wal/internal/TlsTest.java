package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Operation;
import dev.flusso.api.RetriableException;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.api.TableRef;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.postgres.Certificates;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.postgres.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The capture against a cluster that accepts TLS connections only ({@code hostssl} lines for databases and for
 * replication): the TLS settings reach the query and the replication connection, and a certificate that cannot be
 * trusted is reported as such.
 */
class TlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static PostgresServer server;
    private static Path root;

    @BeforeAll
    static void startTlsOnlyCluster() {
        server = PostgresServer.startWithTls(Map.of());
        root = server.rootCertificate().orElseThrow();
    }

    @AfterAll
    static void stopCluster() {
        server.stopAndRemove();
    }

    @Test
    void verifiedTlsCarriesTheSnapshotAndTheStreamOverEncryptedQueryAndReplicationConnections() throws Exception {
        TestSource source = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY, name text)",
                "INSERT INTO items VALUES (1, 'before')");
        source.with("sslmode", "verify-full").with("sslrootcert", root.toString());
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        List<Change> snapshot = SnapshotTest.snapshot(capture,
                new SnapshotRequest("items", new TableRef("public", "items"), List.of("id"), Optional.empty()));
        assertEquals(List.of(Map.of("id", 1L)), snapshot.stream().map(Change::key).toList(), "the snapshot over TLS");
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items VALUES (2, 'two')");
            source.database.execute("UPDATE items SET name = 'one' WHERE id = 1");
            source.database.execute("DELETE FROM items WHERE id = 2");
            List<Change> changes = out.take(3, WAIT);
            assertEquals(List.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE),
                    changes.stream().map(Change::operation).toList(), "the stream over TLS: " + changes);
            capture.confirm(changes.get(2).position());
            ConfirmationTest.awaitFlush(source, lsn -> lsn > changes.get(2).version());

            List<Map<String, Object>> walsenders = source.database.query("SELECT r.pid, s.ssl, s.version"
                    + " FROM pg_stat_replication r JOIN pg_stat_ssl s ON s.pid = r.pid"
                    + " JOIN pg_replication_slots slot ON slot.active_pid = r.pid WHERE slot.slot_name = '" + source.slot + "'");
            assertEquals(1, walsenders.size(), "one walsender streams slot '" + source.slot + "': " + walsenders);
            assertEquals(true, walsenders.get(0).get("ssl"), "the replication connection is encrypted: " + walsenders);
            List<Map<String, Object>> queries = source.database.query("SELECT a.pid, s.ssl FROM pg_stat_activity a"
                    + " JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.application_name = 'flusso'"
                    + " AND a.backend_type = 'client backend' AND a.datname = '" + source.database.name() + "'");
            assertFalse(queries.isEmpty(), "the capture's query connection is open");
            assertTrue(queries.stream().allMatch(row -> Boolean.TRUE.equals(row.get("ssl"))),
                    "the query connection is encrypted: " + queries);
            assertNull(streaming.failure.get());
        }
        source.drop();
    }

    @Test
    void aClientCertificateAuthenticatesTheQueryAndReplicationConnectionsAndWithoutItTheRoleIsRefused() throws Exception {
        String role = Tls.CERTIFICATE_ROLE;
        Path certificate = Certificates.client(root, "client-" + System.nanoTime(), role);
        Path key = certificate.resolveSibling(certificate.getFileName().toString().replace(".crt", ".pk8"));
        TestSource source = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY, name text)");
        source.database.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN REPLICATION; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "ALTER TABLE items OWNER TO " + role, "GRANT CREATE ON DATABASE \"" + source.database.name() + "\" TO " + role);
        String asRole = source.database.url().replace("postgres@", role + "@");
        source.with("connection_url", asRole).with("sslmode", "verify-full").with("sslrootcert", root.toString())
                .with("sslcert", certificate.toString()).with("sslkey", key.toString());
        WalCapture capture = source.capture(TestSource.index("items", "items"));
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items VALUES (1, 'one')");
            assertEquals(Operation.INSERT, out.take(1, WAIT).get(0).operation(), "the stream as the certificate's role");
            List<Map<String, Object>> connections = source.database.query("SELECT a.backend_type, s.client_dn"
                    + " FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.usename = '" + role + "'");
            assertTrue(connections.stream().anyMatch(row -> "walsender".equals(row.get("backend_type"))),
                    "the replication connection is the role's: " + connections);
            assertTrue(connections.stream().anyMatch(row -> "client backend".equals(row.get("backend_type"))),
                    "so is the query connection: " + connections);
            assertTrue(connections.stream().allMatch(row -> ("/CN=" + role).equals(row.get("client_dn"))),
                    "each presented the client certificate: " + connections);
            assertNull(streaming.failure.get());
        }

        TestSource without = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY)");
        without.with("connection_url", without.database.url().replace("postgres@", role + "@"))
                .with("sslmode", "verify-full").with("sslrootcert", root.toString());
        FlussoException e = assertThrows(FlussoException.class, () -> without.capture(TestSource.index("items", "items")).open());
        assertTrue(e.getMessage().contains("certificate"), "the refusal names the missing certificate: " + e.getMessage());
        source.drop();
    }

    @Test
    void aRootThatDidNotSignTheServersCertificateFailsAtOpenNamingSslrootcert() throws Exception {
        Path other = Certificates.root(Files.createDirectories(server.folder().resolve("elsewhere")), "wrong");
        TestSource source = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY)");
        source.with("sslmode", "verify-ca").with("sslrootcert", other.toString());
        FlussoException e = assertThrows(FlussoException.class, () -> source.capture(TestSource.index("items", "items")).open());
        assertFalse(e instanceof RetriableException, "retrying cannot fix a certificate: " + e);
        assertTrue(e.getMessage().contains("not trusted") && e.getMessage().contains("sslrootcert"), e.getMessage());
        assertTrue(source.database.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + source.slot + "'").isEmpty(),
                "no slot was created");
    }

    @Test
    void verifyFullRefusesACertificateForAnotherNameAndVerifyCaAcceptsIt() throws Exception {
        // 127.0.0.2 is loopback too, but not among the certificate's names (127.0.0.1, localhost). The proxy only
        // relays bytes: the TLS session is the server's own.
        try (FreezingProxy other = new FreezingProxy(java.net.InetAddress.getByName("127.0.0.2"), server.port())) {
            TestSource source = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY)");
            source.with("connection_url", source.database.url().replace("127.0.0.1:" + server.port(), "127.0.0.2:" + other.port()))
                    .with("sslmode", "verify-full").with("sslrootcert", root.toString());

            FlussoException e = assertThrows(FlussoException.class, () -> source.capture(TestSource.index("items", "items")).open());

            assertFalse(e instanceof RetriableException, "retrying cannot fix a host name: " + e);
            assertTrue(e.getMessage().contains("127.0.0.2") && e.getMessage().contains("does not hold the host name")
                    && e.getMessage().contains("verify-ca"), e.getMessage());
            assertTrue(source.database.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + source.slot + "'").isEmpty(),
                    "no slot was created");

            source.with("sslmode", "verify-ca");
            WalCapture capture = source.capture(TestSource.index("items", "items"));
            capture.open();
            capture.close();
            assertEquals(1, source.database.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + source.slot + "'").size(),
                    "verify-ca checks the signature only, so the same server is accepted");
            source.drop();
        }
    }

    @Test
    void aConnectionWithoutTlsIsRefusedSayingTheServerWantsTls() {
        TestSource source = new TestSource(server, "CREATE TABLE items (id int PRIMARY KEY)");
        source.with("sslmode", "disable");
        FlussoException e = assertThrows(FlussoException.class, () -> source.capture(TestSource.index("items", "items")).open());
        assertFalse(e instanceof RetriableException, "retrying cannot fix sslmode: " + e);
        assertTrue(e.getMessage().contains("no encryption") && e.getMessage().contains("sslmode"), e.getMessage());
    }
}
