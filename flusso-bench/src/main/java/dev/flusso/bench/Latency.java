package dev.flusso.bench;

import dev.flusso.core.Engine;
import dev.flusso.testing.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Workload 5: single-row transactions at a steady rate for a fixed time, with the shipped defaults (batch, flushes in
 * flight, the sink's 10 s refresh interval and its refresh once caught up). Commit is when the writer's commit
 * returned; searchable is when a search (polled every 10 ms, timed at its answer) first sees the row's sequence number
 * as the highest visible; durable is when the engine's flush that carried it returned.
 */
final class Latency {

    static final String W5 = "5 latency";

    private final Context ctx;

    Latency(Context ctx) {
        this.ctx = ctx;
    }

    /** The rates workload 5 runs at, each with the shipped defaults: a trickle, the rate, and a load. */
    static final int[] RATES = {100, 1_000, 5_000};

    /** Runs workload 5 through the channel queue with the shipped defaults at each rate, and records its figures. */
    void run() throws Exception {
        for (int rate : RATES) {
            Measured m = measure("w5_" + rate, "", 0, "", true, rate);
            String at = String.format(java.util.Locale.ROOT, " at %,d changes/s, shipped defaults", rate);
            if (rate == ctx.scale.latencyRate()) {
                ctx.addMemory(W5);
                ctx.add(Figure.time(W5, "commit-to-searchable p50 ms" + at + " vs 60 ms", m.searchable(50), 60.0, 1.0));
                ctx.add(Figure.time(W5, "commit-to-searchable p99 ms" + at + " vs 150 ms", m.searchable(99), 150.0, 1.0));
            } else {
                ctx.add(Figure.alone(W5, "commit-to-searchable p50 ms" + at, m.searchable(50)));
                ctx.add(Figure.alone(W5, "commit-to-searchable p99 ms" + at, m.searchable(99)));
            }
            ctx.add(Figure.alone(W5, "commit-to-searchable max ms" + at, m.searchable(100)));
            ctx.add(Figure.alone(W5, "commit-to-durable (bulk acknowledged) p50 ms" + at, m.durable(50)));
            ctx.add(Figure.alone(W5, "commit-to-durable (bulk acknowledged) p99 ms" + at, m.durable(99)));
            ctx.add(Figure.alone(W5, "writer changes/s achieved" + at, m.achieved()));
        }
        // What the defaults were chosen from: the rate again with one setting changed at a time.
        int rate = ctx.scale.latencyRate();
        String[][] variants = {
            {"max_in_flight = 1", "[batch]\nmax_in_flight = 1", ""},
            {"max_in_flight = 2", "[batch]\nmax_in_flight = 2", ""},
            {"refresh_min_gap_ms = 20", "", "refresh_min_gap_ms = 20"},
            {"refresh_min_gap_ms = 100", "", "refresh_min_gap_ms = 100"}};
        for (int i = 0; i < variants.length; i++) {
            Measured m = measure("w5_v" + i, variants[i][1], 0, variants[i][2], true, rate);
            String with = String.format(java.util.Locale.ROOT, " at %,d changes/s, %s", rate, variants[i][0]);
            ctx.add(Figure.alone(W5, "commit-to-searchable p50 ms" + with, m.searchable(50)));
            ctx.add(Figure.alone(W5, "commit-to-searchable p99 ms" + with, m.searchable(99)));
            ctx.add(Figure.alone(W5, "commit-to-durable p50 ms" + with, m.durable(50)));
        }
    }

    Measured measure(String name, String sections, int workers) throws Exception {
        return measure(name, sections, workers, "", true, ctx.scale.latencyRate());
    }

    /**
     * Single-row commits at the scale's rate into a fresh table and index, default batch settings.
     *
     * @param name the index, slot and folder of this run (letters, digits and underscores)
     * @param sections more sections of the deployment ({@code [queue]}, {@code [batch]}; TOML), empty for defaults
     * @param workers 0 for one engine with every role; otherwise a capture engine and this many workers, in process
     * @param sinkExtra more keys of the sink's section (TOML), empty for the sink's defaults
     * @param recordVersions whether the sink records each flush's version, as it does in production
     * @param rate commits per second
     */
    Measured measure(String name, String sections, int workers, String sinkExtra, boolean recordVersions, int rate)
            throws Exception {
        int count = (int) (rate * ctx.scale.latencyRun().toSeconds());
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute("CREATE TABLE lat (id bigint PRIMARY KEY, seq bigint NOT NULL, payload text NOT NULL)");
        BenchDeployment deployment = BenchDeployment.write(ctx.dir.resolve(name), db.url(), ctx.search.base(), name, """
                version: 1
                table: lat
                primary_key: id
                fields:
                  - long: seq
                  - text: payload
                """, name, sinkExtra, sections);
        long[] committed = new long[count + 1];
        long[] durable = new long[count + 1];
        List<long[]> polls = new ArrayList<>();
        double achieved;
        List<BenchDeployment.Wired> engines = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            engines.add(deployment.engine(ctx.providers, true, true, Engine.Role.WORKER));
        }
        engines.add(deployment.engine(ctx.providers, true, true, workers == 0 ? Engine.Role.ALL : Engine.Role.CAPTURE));
        for (BenchDeployment.Wired wired : engines) {
            wired.sink().onFlush((ids, nanos) -> ids.forEach(id -> durable[Integer.parseInt(id)] = nanos));
            if (!recordVersions) {
                wired.sink().skipVersionRecords();
            }
        }
        try (RunningEngine engine = RunningEngine.start(engines.toArray(BenchDeployment.Wired[]::new))) {
            engine.awaitStreaming(() -> Sql.slotActive(db, name), name, Duration.ofMinutes(2));
            ctx.memory.reset();
            Thread poller = new Thread(() -> poll(name, polls, count), "bench-poller");
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
        double[] flushed = new double[count];
        for (int k = 1; k <= count; k++) {
            flushed[k - 1] = (durable[k] - committed[k]) / 1e6;
        }
        Arrays.sort(flushed);
        Sql.dropIdleSlots(db);
        return new Measured(searchableLatencies(committed, polls, count), flushed, achieved);
    }

    /**
     * One run's latencies, sorted, in milliseconds.
     *
     * @param searchable commit to the first search that saw the row
     * @param flushed commit to the return of the flush that carried the row
     * @param achieved the writer's rate, changes per second
     */
    record Measured(double[] searchable, double[] flushed, double achieved) {

        double searchable(int percent) {
            return percentile(searchable, percent);
        }

        double durable(int percent) {
            return percentile(flushed, percent);
        }
    }

    /** Polls until the last row is visible or a minute passes; each entry is {answer time, highest visible seq}. */
    private void poll(String index, List<long[]> polls, int count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            long max = ctx.search.maxVisible(index, "seq");
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
