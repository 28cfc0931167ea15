package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.testing.opensearch.OpenSearchServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sink's bulk throughput beside raw {@code _bulk} requests of the same prebuilt documents sent with the JDK's
 * HTTP client, in the same run and the same chunk size. Runs only with {@code -Dflusso.bench=true}; also a main.
 */
class BulkThroughputBenchmark {

    private static final int DOCUMENTS = 200_000;
    private static final int CHUNK = 1000;

    @Test
    void sinkKeepsUpWithRawBulkRequests() throws Exception {
        assumeTrue(Boolean.getBoolean("flusso.bench"), "benchmark: run with -Dflusso.bench=true");
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        OpenSearchServer server = OpenSearchServer.shared();
        List<String> sources = new ArrayList<>(DOCUMENTS);
        for (int i = 0; i < DOCUMENTS; i++) {
            sources.add("{\"title\":\"document number " + i + " of the benchmark, with some words to analyse\",\"count\":" + i + "}");
        }
        // Warm both paths up, then measure each twice, alternating.
        double sink = 0;
        double raw = 0;
        for (int round = 0; round < 3; round++) {
            double s = sinkRate(sources, "bench" + round);
            double r = rawRate(server, sources, "raw" + round);
            if (round > 0) {
                sink += s / 2;
                raw += r / 2;
            }
        }
        System.out.printf("bulk throughput on OpenSearch %s: sink %.0f docs/s, raw _bulk %.0f docs/s, ratio %.2f%n",
                server.version(), sink, raw, sink / raw);
    }

    private static double sinkRate(List<String> sources, String name) {
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config("b_", Map.of("batch_size", CHUNK)))) {
            sink.ensureIndex(Definitions.items(name, "f1"));
            long start = System.nanoTime();
            for (int i = 0; i < sources.size(); i++) {
                sink.write(Document.upsert(new DocumentId(name, Integer.toString(i)), 1, sources.get(i)));
                if ((i + 1) % CHUNK == 0) {
                    sink.flush();
                }
            }
            sink.flush();
            return sources.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double rawRate(OpenSearchServer server, List<String> sources, String name) throws Exception {
        server.http().put("/" + name, "{\"settings\":{\"index\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
                + "\"refresh_interval\":\"-1\"}},\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"title\":{\"type\":\"text\"},"
                + "\"count\":{\"type\":\"long\"}}}}").expectOk("creating " + name);
        HttpClient client = HttpClient.newHttpClient();
        // The same answer the sink asks for, so both sides cost the server the same.
        URI bulk = server.url().resolve("/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason");
        long start = System.nanoTime();
        for (int from = 0; from < sources.size(); from += CHUNK) {
            StringBuilder body = new StringBuilder(CHUNK * 200);
            for (int i = from; i < Math.min(sources.size(), from + CHUNK); i++) {
                body.append("{\"index\":{\"_index\":\"").append(name).append("\",\"_id\":\"").append(i)
                        .append("\",\"version\":1,\"version_type\":\"external_gte\"}}\n").append(sources.get(i)).append('\n');
            }
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(bulk)
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("\"errors\":true")) {
                throw new IllegalStateException("raw bulk failed: " + response.body());
            }
        }
        return sources.size() / ((System.nanoTime() - start) / 1e9);
    }
}
