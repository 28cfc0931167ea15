package dev.flusso.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Warms OpenSearch before anything is measured: a fresh server's first bulk requests run interpreted and on cold
 * caches, and whichever side of a comparison came first would pay for it. Sends flat-sized documents, plain and
 * versioned, into a scratch index, then drops it.
 */
final class Warmup {

    private Warmup() {
    }

    static void run(Search search, int docs) {
        List<String[]> batch = new ArrayList<>();
        for (int i = 1; i <= docs; i++) {
            batch.add(new String[] {Integer.toString(i), "{\"sku\":\"SKU-" + i + "\",\"name\":\"item " + i
                    + "\",\"description\":\"" + Integer.toHexString(i * 31).repeat(12) + "\",\"price\":" + (i % 1000) / 10.0
                    + ",\"qty\":" + i % 500 + ",\"created\":\"2024-01-01T00:00:00+00:00\"}"});
        }
        search.send("DELETE", "/bench_warmup?ignore_unavailable=true", null);
        search.send("PUT", "/bench_warmup", "{\"settings\":{\"index\":{\"refresh_interval\":\"-1\"}}}");
        RawBulk.send(search, "bench_warmup", batch, false, false);
        RawBulk.send(search, "bench_warmup", batch, false, true);
        search.send("DELETE", "/bench_warmup", null);
    }
}
