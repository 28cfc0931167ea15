package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import dev.flusso.testing.postgres.Certificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS settings against a real handshake: {@link TlsProxy} terminates TLS with certificates made at test time and
 * forwards to the shared (plain-HTTP) OpenSearch, so every request below reaches the real server.
 */
class OpenSearchTlsTest {

    private static final String PREFIX = "tls_";
    private static final String TRUST_PASSWORD = "trust-Pa55";

    private static Path root;
    private static Path otherRoot;
    private static TlsProxy proxy;
    private static TlsProxy wrongName;

    @BeforeAll
    static void certificatesAndProxies() throws IOException {
        Path folder = Files.createTempDirectory("flusso-sink-tls");
        root = Certificates.root(folder, "root");
        otherRoot = Certificates.root(folder, "other");
        int port = TestCluster.server().url().getPort();
        proxy = new TlsProxy(ServerCertificates.server(root, "server", "IP:127.0.0.1,DNS:localhost"), port);
        wrongName = new TlsProxy(ServerCertificates.server(root, "elsewhere", "DNS:search.example.com"), port);
    }

    @AfterAll
    static void stopProxies() {
        proxy.close();
        wrongName.close();
    }

    @Test
    void serverSignedByTheCaFileIsTrusted() {
        writesThroughTheProxy(proxy.url("127.0.0.1"), Map.of("ca_file", root.toString()), "ca");
    }

    @Test
    void serverSignedByARootInTheTrustStoreIsTrusted() {
        Path store = ServerCertificates.trustStore(root, TRUST_PASSWORD);
        writesThroughTheProxy(proxy.url("localhost"), Map.of("trust_store", store.toString(), "trust_store_password", TRUST_PASSWORD),
                "store");
    }

    @Test
    void tlsVerifyFalseAcceptsAnUntrustedCertificateForAnotherName() {
        writesThroughTheProxy(wrongName.url("127.0.0.1"), Map.of("tls_verify", false), "noverify");
    }

    @Test
    void certificateOfAnUntrustedCaFailsAtOnceNamingTheUrl() {
        String url = proxy.url("127.0.0.1");
        for (Map<String, Object> trust : java.util.List.<Map<String, Object>>of(Map.of("ca_file", otherRoot.toString()), Map.of())) {
            FlussoException failure = assertThrows(FlussoException.class, () -> ensure(url, trust),
                    "a certificate no trusted CA signed must be refused (" + trust + ")");

            assertFalse(failure instanceof RetriableException, "waiting cannot make a certificate trusted: " + failure);
            assertTrue(failure.getMessage().contains(url), "the message names the url: " + failure.getMessage());
            assertTrue(failure.getMessage().contains("not trusted") && failure.getMessage().contains("ca_file"),
                    "the message says what is wrong and which setting fixes it: " + failure.getMessage());
        }
    }

    @Test
    void certificateForAnotherHostNameIsRefusedEvenFromATrustedCa() {
        String url = wrongName.url("127.0.0.1");

        FlussoException failure = assertThrows(FlussoException.class, () -> ensure(url, Map.of("ca_file", root.toString())));

        assertFalse(failure instanceof RetriableException, "a name mismatch is a setting to fix: " + failure);
        assertTrue(failure.getMessage().contains(url), "the message names the url: " + failure.getMessage());
        assertTrue(failure.getMessage().contains("does not name the host"), "the message says why: " + failure.getMessage());
    }

    @Test
    void certificateMatchesByDnsNameAsWellAsByAddress() {
        writesThroughTheProxy(proxy.url("localhost"), Map.of("ca_file", root.toString()), "dns");
    }

    @Test
    void plainHttpServerBehindAnHttpsUrlFailsClearly() {
        String url = "https://127.0.0.1:" + TestCluster.server().url().getPort();

        FlussoException failure = assertThrows(FlussoException.class, () -> ensure(url, Map.of("ca_file", root.toString())));

        assertFalse(failure instanceof RetriableException, failure.toString());
        assertTrue(failure.getMessage().contains(url) && failure.getMessage().contains("http://"), failure.getMessage());
    }

    @Test
    void unreadableCaFileIsAConfigurationErrorNamingTheFile() {
        Path missing = root.resolveSibling("missing.crt");

        ConfigurationException failure = assertThrows(ConfigurationException.class,
                () -> ensure(proxy.url("127.0.0.1"), Map.of("ca_file", missing.toString())));

        assertTrue(failure.getMessage().contains("ca_file '" + missing + "'"), failure.getMessage());
    }

    private static void writesThroughTheProxy(String url, Map<String, Object> tls, String index) {
        int before = handshakes();
        try (OpenSearchSink sink = TestCluster.sink(config(url, tls))) {
            sink.ensureIndex(Definitions.items(index, "f1"));
            sink.write(Definitions.item(index, "1", 1, 7));
            assertEquals(FlushResult.clean(), sink.flush());
        }
        assertTrue(TestCluster.read(PREFIX, new DocumentId(index, "1")).isPresent(), "the document reached OpenSearch through " + url);
        assertTrue(handshakes() > before, "the requests went through the TLS proxy");
    }

    private static void ensure(String url, Map<String, Object> tls) {
        try (OpenSearchSink sink = TestCluster.sink(config(url, tls))) {
            sink.ensureIndex(Definitions.items("refused", "f1"));
        }
    }

    private static SinkConfig config(String url, Map<String, Object> tls) {
        Map<String, Object> extra = new HashMap<>(tls);
        extra.put("url", url);
        extra.put("max_retries", 1);
        extra.put("timeout_secs", 5);
        return TestCluster.config(PREFIX, extra);
    }

    private static int handshakes() {
        return proxy.handshakes() + wrongName.handshakes();
    }
}
