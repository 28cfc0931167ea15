package dev.flusso.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.Rejection;
import dev.flusso.testing.process.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The public surface's probes and metrics as the run's events move them. */
class HttpSurfacesProbeTest {

    @Test
    void readinessWaitsForLiveChangesAndBothProbesFailWithTheRun() throws Exception {
        Metrics metrics = new Metrics();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", FreePorts.pick());
        try (HttpSurfaces surfaces = HttpSurfaces.start(address, null, null, metrics, Map::of, index -> Map.of())) {
            String base = "http://127.0.0.1:" + address.getPort();
            assertEquals(200, status(base + "/healthz"));
            assertEquals(503, status(base + "/readyz"), "not ready before the first backfill even starts");

            metrics.backfillStarted("authors", OptionalLong.of(1_000), false);
            assertEquals(503, status(base + "/readyz"), "not ready while backfilling");
            metrics.backfillCompleted("authors", 1_000);
            metrics.liveStarted();
            assertEquals(200, status(base + "/readyz"), "ready once live changes stream");

            metrics.sourceLag(4_096, Duration.ofMillis(1_500));
            metrics.rejected(new Rejection(Document.deletion(new DocumentId("authors", "7"), 1), "refused"), RejectionPolicy.SKIP);
            metrics.rejected(new Rejection(Document.deletion(new DocumentId("authors", "8"), 1), "refused"),
                    RejectionPolicy.DEAD_LETTER);
            String exposition = body(base + "/metrics");
            assertTrue(exposition.contains("flusso_source_lag_bytes 4096.0"), exposition);
            assertTrue(exposition.contains("flusso_source_lag_seconds 1.5"), exposition);
            assertTrue(exposition.contains("flusso_rejections_total{policy=\"skip\"} 1.0"), exposition);
            assertTrue(exposition.contains("flusso_rejections_total{policy=\"dead_letter\"} 1.0"), exposition);
            assertTrue(exposition.contains("flusso_quarantined_total 1.0"), exposition);

            metrics.failed(new IllegalStateException("the sink is gone"));
            assertEquals(503, status(base + "/healthz"), "a failed run is not healthy");
            assertEquals(503, status(base + "/readyz"), "nor ready");
        }
    }

    private static int status(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static String body(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }
}
