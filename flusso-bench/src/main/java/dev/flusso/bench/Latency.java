package dev.flusso.bench;

import dev.flusso.testing.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Workload 5: single-row transactions at a steady rate for a fixed time, default batch settings. Commit is when the
 * writer's commit returned; searchable is when a search (polled every 10 ms, timed at its answer) first sees the
 * row's sequence number as the highest visible; durable is when the engine's flush that carried it returned.
 *
 * <p>The sink's refresh interval is set to OpenSearch's own default, 1 s: Flusso's default for a seeded index
 * (10 s) would bound searchability at 10 s by configuration alone.
 */
final class Latency {

    static final String W5 = "5 latency";

    private final Context ctx;

    Latency(Context ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        int rate = ctx.scale.latencyRate();
        int count = (int) (rate * ctx.scale.latencyRun().toSeconds());
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute("CREATE TABLE lat (id bigint PRIMARY KEY, seq bigint NOT NULL, payload text NOT NULL)");
        BenchDeployment deployment = BenchDeployment.write(ctx.dir.resolve("w5"), db.url(), ctx.search.base(), "lat", """
                version: 1
                table: lat
                primary_key: id
                fields:
                  - long: seq
                  - text: payload
                """, "w5", "refresh_interval = \"1s\"");
        long[] committed = new long[count + 1];
        long[] durable = new long[count + 1];
        List<long[]> polls = new ArrayList<>();
        double achieved;
        BenchDeployment.Wired wired = deployment.engine(ctx.providers, true, true);
        wired.sink().onFlush((ids, nanos) -> ids.forEach(id -> durable[Integer.parseInt(id)] = nanos));
        try (RunningEngine engine = RunningEngine.start(wired)) {
            engine.awaitStreaming(() -> Sql.slotActive(db, "w5"), "w5", Duration.ofMinutes(2));
            ctx.memory.reset();
            Thread poller = new Thread(() -> poll(polls, count), "bench-poller");
            poller.start();
            long start = System.nanoTime();
            try (Connection connection = db.connect();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO lat VALUES (?, ?, ?)")) {
                for (int k = 1; k <= count; k++) {
                    long due = start + (long) (k * 1e9 / rate);
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    insert.setLong(1, k);
                    insert.setLong(2, k);
                    insert.setString(3, "payload " + k);
                    insert.executeUpdate();
                    committed[k] = System.nanoTime();
                }
            }
            achieved = count / ((committed[count] - start) / 1e9);
            poller.join(Duration.ofSeconds(60).toMillis());
            poller.interrupt();
        }
        ctx.addMemory(W5);
        double[] searchable = searchableLatencies(committed, polls, count);
        double[] flushed = new double[count];
        for (int k = 1; k <= count; k++) {
            flushed[k - 1] = (durable[k] - committed[k]) / 1e6;
        }
        Arrays.sort(flushed);
        ctx.add(Figure.time(W5, "commit-to-searchable p99 ms (refresh 1s) vs 1,000 ms", percentile(searchable, 99), 1000.0, 1.0));
        ctx.add(Figure.alone(W5, "commit-to-searchable p50 ms", percentile(searchable, 50)));
        ctx.add(Figure.alone(W5, "commit-to-searchable max ms", searchable[searchable.length - 1]));
        ctx.add(Figure.alone(W5, "commit-to-durable (bulk acknowledged) p50 ms", percentile(flushed, 50)));
        ctx.add(Figure.alone(W5, "commit-to-durable (bulk acknowledged) p99 ms", percentile(flushed, 99)));
        ctx.add(Figure.alone(W5, "commit-to-durable (bulk acknowledged) max ms", flushed[flushed.length - 1]));
        ctx.add(Figure.alone(W5, "writer changes/s achieved (asked " + rate + ")", achieved));
        Sql.dropIdleSlots(db);
    }

    /** Polls until the last row is visible or a minute passes; each entry is {answer time, highest visible seq}. */
    private void poll(List<long[]> polls, int count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            long max = ctx.search.maxVisible("lat", "seq");
            long now = System.nanoTime();
            synchronized (polls) {
                polls.add(new long[] {now, max});
            }
            if (max >= count) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static double[] searchableLatencies(long[] committed, List<long[]> polls, int count) {
        double[] latencies = new double[count];
        int p = 0;
        for (int k = 1; k <= count; k++) {
            while (p < polls.size() && polls.get(p)[1] < k) {
                p++;
            }
            if (p == polls.size()) {
                throw new IllegalStateException("row " + k + " of " + count + " never became searchable");
            }
            latencies[k - 1] = (polls.get(p)[0] - committed[k]) / 1e6;
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
