package dev.flusso.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest limit: prebuilt documents sent as {@code _bulk} requests of the sink's default batch size (1,000
 * operations), by one or more concurrent senders, with the JDK HTTP client, into an index of the same settings. Bodies
 * are prebuilt too, so only OpenSearch and the wire are timed.
 */
final class RawBulk {

    static final int BATCH = 1_000;

    private RawBulk() {
    }

    /**
     * @param docs id and JSON source of each document
     * @param refreshAtEnd whether to refresh once at the end, as a backfill does when it marks the index seeded
     * @return documents per second
     */
    static double send(Search search, String index, List<String[]> docs, boolean refreshAtEnd) {
        return send(search, index, docs, refreshAtEnd, false);
    }

    /**
     * As {@link #send(Search, String, List, boolean)}; {@code versioned} adds a version with {@code external_gte}
     * to each operation, as the sink's operations carry: the cost of versioned writes, measured apart.
     */
    static double send(Search search, String index, List<String[]> docs, boolean refreshAtEnd, boolean versioned) {
        return send(search, index, docs, refreshAtEnd, versioned, 1);
    }

    /** The sender counts {@link #best} tries: OpenSearch here uses every core only with two or more. */
    static final int[] SENDERS = {1, 2, 4};

    /**
     * The server's limit: the same documents sent by 1, 2 and 4 concurrent senders, each into a fresh index made like
     * {@code like} with the given refresh interval; each figure is recorded on its own.
     *
     * @return the best of them, documents per second
     */
    static double best(Context ctx, String workload, String like, String index, String refreshInterval, List<String[]> docs) {
        double best = 0;
        for (int senders : SENDERS) {
            String target = index + "_s" + senders;
            ctx.search.createLike(like, target, refreshInterval);
            double rate = send(ctx.search, target, docs, false, false, senders);
            ctx.note(String.format(java.util.Locale.ROOT, "raw _bulk, %d sender(s): %,.0f docs/s", senders, rate));
            ctx.add(Figure.alone(workload, "limit: raw _bulk docs/s, " + senders + " sender(s)", rate));
            best = Math.max(best, rate);
        }
        return best;
    }

    private static double send(Search search, String index, List<String[]> docs, boolean refreshAtEnd, boolean versioned,
            int senders) {
        String version = versioned ? ",\"version\":1,\"version_type\":\"external_gte\"" : "";
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < docs.size(); from += BATCH) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String[] doc : docs.subList(from, Math.min(docs.size(), from + BATCH))) {
                body.writeBytes(("{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + doc[0] + "\"" + version + "}}\n").getBytes(StandardCharsets.UTF_8));
                body.writeBytes(doc[1].getBytes(StandardCharsets.UTF_8));
                body.write('\n');
            }
            bodies.add(body.toByteArray());
        }
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Thread sender = new Thread(() -> {
                for (int k; (k = next.getAndIncrement()) < bodies.size(); ) {
                    post(search, bodies.get(k));
                }
            }, "raw-bulk-" + i);
            sender.start();
            threads.add(sender);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during raw bulk", e);
            }
        }
        if (refreshAtEnd) {
            search.send("POST", "/" + index + "/_refresh", null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long count = search.count(index);
        if (count != docs.size()) {
            throw new IllegalStateException("raw bulk left " + count + " of " + docs.size() + " documents in '" + index + "'");
        }
        return docs.size() / seconds;
    }

    private static void post(Search search, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(search.base().resolve(
                        "/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = search.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("\"errors\":true")) {
                throw new IllegalStateException("raw bulk refused: HTTP " + response.statusCode() + " "
                        + response.body().substring(0, Math.min(500, response.body().length())));
            }
        } catch (IOException e) {
            throw new IllegalStateException("raw bulk failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during raw bulk", e);
        }
    }
}
