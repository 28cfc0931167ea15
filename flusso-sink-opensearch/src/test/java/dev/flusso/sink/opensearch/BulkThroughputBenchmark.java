package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.testing.opensearch.OpenSearchServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The sink's bulk throughput beside raw {@code _bulk} requests of the same prebuilt documents sent with the JDK's
 * HTTP client, each plain and gzip-compressed. Runs only with {@code -Dflusso.bench=true}; also a main.
 *
 * <p>The two sides take turns request by request (which goes first alternates), into indexes of the same settings
 * on the same server, and each side's time is the sum of its own requests, its encoding included. On a shared
 * machine the load drifts by the second; interleaving this finely puts both sides under the same load, which
 * running them one after the other did not (ratios of 0.5 to 2.5 between rounds).
 */
class BulkThroughputBenchmark {

    private static final int DOCUMENTS = Integer.getInteger("flusso.bench.documents", 100_000);
    private static final int CHUNK = 1000;
    private static final int PASSES = Integer.getInteger("flusso.bench.passes", 3);

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
        pass(server, sources.subList(0, DOCUMENTS / 5), false, "warm");
        pass(server, sources.subList(0, DOCUMENTS / 5), true, "warmz");
        System.out.printf("bulk throughput on OpenSearch %s, %d documents in requests of %d, sink and raw interleaved:%n",
                server.version(), DOCUMENTS, CHUNK);
        for (int p = 0; p < PASSES; p++) {
            for (boolean gzip : new boolean[] {false, true}) {
                double[] r = pass(server, sources, gzip, (gzip ? "z" : "p") + p);
                System.out.printf("  %-5s sink %6.0f docs/s (request p50 %5.1f ms, p90 %5.1f), raw _bulk %6.0f docs/s (p50 %5.1f ms,"
                        + " p90 %5.1f), ratio %.2f%n", gzip ? "gzip" : "plain", r[0], r[2], r[3], r[1], r[4], r[5], r[0] / r[1]);
            }
        }
    }

    /** {@return the sink's and the raw side's rates in documents per second, then each side's p50 and p90 in ms} */
    private static double[] pass(OpenSearchServer server, List<String> sources, boolean gzip, String suffix) throws Exception {
        String name = "bench" + suffix;
        String raw = "raw" + suffix;
        server.http().put("/" + raw, "{\"settings\":{\"index\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
                + "\"refresh_interval\":\"-1\"}},\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"title\":{\"type\":\"text\"},"
                + "\"count\":{\"type\":\"long\"}}}}").expectOk("creating " + raw);
        HttpClient client = HttpClient.newHttpClient();
        // The same answer the sink asks for, so both sides cost the server the same.
        URI bulk = server.url().resolve("/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason");
        List<Long> sinkTimes = new ArrayList<>();
        List<Long> rawTimes = new ArrayList<>();
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config("b_", Map.of("batch_size", CHUNK, "compression", gzip)))) {
            sink.ensureIndex(Definitions.items(name, "f1"));
            for (int from = 0, turn = 0; from < sources.size(); from += CHUNK, turn++) {
                List<String> chunk = sources.subList(from, Math.min(sources.size(), from + CHUNK));
                if (turn % 2 == 0) {
                    sinkTimes.add(sinkChunk(sink, name, chunk, from));
                    rawTimes.add(rawChunk(client, bulk, raw, chunk, from, gzip));
                } else {
                    rawTimes.add(rawChunk(client, bulk, raw, chunk, from, gzip));
                    sinkTimes.add(sinkChunk(sink, name, chunk, from));
                }
            }
        }
        server.http().delete("/b_" + name + "*," + raw);
        double sinkSeconds = sinkTimes.stream().mapToLong(Long::longValue).sum() / 1e9;
        double rawSeconds = rawTimes.stream().mapToLong(Long::longValue).sum() / 1e9;
        return new double[] {sources.size() / sinkSeconds, sources.size() / rawSeconds, millis(sinkTimes, 0.5),
            millis(sinkTimes, 0.9), millis(rawTimes, 0.5), millis(rawTimes, 0.9)};
    }

    private static double millis(List<Long> nanos, double quantile) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1e6;
    }

    private static long sinkChunk(OpenSearchSink sink, String name, List<String> chunk, int first) {
        long start = System.nanoTime();
        for (int i = 0; i < chunk.size(); i++) {
            sink.write(Document.upsert(new DocumentId(name, Integer.toString(first + i)), 1, chunk.get(i)));
        }
        sink.flush();
        return System.nanoTime() - start;
    }

    private static long rawChunk(HttpClient client, URI bulk, String name, List<String> chunk, int first, boolean gzip)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        StringBuilder body = new StringBuilder(CHUNK * 200);
        for (int i = 0; i < chunk.size(); i++) {
            body.append("{\"index\":{\"_index\":\"").append(name).append("\",\"_id\":\"").append(first + i)
                    .append("\",\"version\":1,\"version_type\":\"external_gte\"}}\n").append(chunk.get(i)).append('\n');
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(bulk).header("Content-Type", "application/x-ndjson");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            // The JDK's gzip at the same fastest level the sink uses.
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4);
            try (GZIPOutputStream zip = new GZIPOutputStream(out, 64 * 1024) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            }) {
                zip.write(bytes);
            }
            bytes = out.toByteArray();
            request.header("Content-Encoding", "gzip");
        }
        HttpResponse<String> response = client.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().contains("\"errors\":true")) {
            throw new IllegalStateException("raw bulk failed: " + response.body());
        }
        return System.nanoTime() - start;
    }
}
