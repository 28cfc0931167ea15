package dev.flusso.bench;

import dev.flusso.api.BatchPolicy;
import dev.flusso.testing.postgres.PostgresDatabase;
import java.time.Duration;
import java.util.Locale;
import java.util.List;

/** Workloads 1 (flat backfill), 2 (nested backfill) and 4 (live fan-out over workload 2's rows). */
final class BackfillWorkloads {

    static final String W1 = "1 backfill flat";
    static final String W2 = "2 backfill nested";
    static final String W4 = "4 live fan-out";
    private static final Duration LONG = Duration.ofMinutes(15);

    private final Context ctx;

    BackfillWorkloads(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * Workload 1. The load's WAL is drained afterwards by pg_recvlogical, Flusso's capture and Debezium, each from a
     * slot made before the load; Flusso's backfill reads the table; raw bulk sends the same documents.
     */
    void flat() throws Exception {
        int rows = ctx.scale.flatRows();
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute(Tables.flatTable("flat"));
        DebeziumPeer debezium = DebeziumPeer.prepare(db, "dbz_w1", "flat", ctx.dir.resolve("w1"));
        ctx.note("Debezium slot and offset made");
        db.execute("CREATE PUBLICATION rcv_w1 FOR TABLE flat");
        Sql.createSlot(db, "rcv_w1");
        BenchDeployment alone = BenchDeployment.write(ctx.dir.resolve("w1-capture"), db.url(), ctx.search.base(), "flat",
                Tables.flatSchema("flat"), "cap_w1", "");
        WalDrain wal = WalDrain.open(alone.capture(ctx.providers, alone.indexes()));
        Tables.loadFlat(db, "flat", rows, 50_000);
        ctx.note("loaded " + rows + " rows");
        String end = Sql.currentLsn(db);

        // The first backfill of a run is the slowest whatever its settings (the JIT, OpenSearch's first segments), so one
        // runs first and is not counted; then one and two flushes in flight; then the defaults, whose figure counts.
        double[] rates = new double[3];
        int[] lanes = {BatchPolicy.DEFAULT.maxInFlight(), 1, 2};
        for (int i = 0; i < lanes.length; i++) {
            BenchDeployment other = BenchDeployment.write(ctx.dir.resolve("w1_l" + i), db.url(), ctx.search.base(),
                    "flat_l" + i, Tables.flatSchema("flat"), "w1_l" + i, "", "[batch]\nmax_in_flight = " + lanes[i]);
            rates[i] = rows / backfillSeconds(other, rows);
            ctx.note(String.format(Locale.ROOT, "flusso backfill, max_in_flight = %d%s: %,.0f docs/s", lanes[i],
                    i == 0 ? " (the run's first, not counted)" : "", rates[i]));
        }
        BenchDeployment deployment = BenchDeployment.write(ctx.dir.resolve("w1"), db.url(), ctx.search.base(), "flat",
                Tables.flatSchema("flat"), "w1", "");
        double backfill = rows / backfillSeconds(deployment, rows);
        ctx.note(String.format(Locale.ROOT, "flusso backfill: %,.0f docs/s", backfill));
        ctx.addMemory(W1);
        for (int i = 1; i < lanes.length; i++) {
            ctx.add(Figure.rate(W1, "backfill docs/s, max_in_flight = " + lanes[i] + " vs the default "
                    + BatchPolicy.DEFAULT.maxInFlight(), rates[i], backfill, null));
        }

        double recv = rows / PgRecvLogical.drain(db, "rcv_w1", "rcv_w1", end);
        ctx.note(String.format(Locale.ROOT, "pg_recvlogical: %,.0f changes/s", recv));
        double capture = rows / wal.drain(rows, LONG);
        ctx.note(String.format(Locale.ROOT, "flusso wal capture: %,.0f changes/s", capture));
        double peer = rows / debezium.drain(rows, LONG);
        ctx.note(String.format(Locale.ROOT, "Debezium: %,.0f changes/s", peer));
        List<String[]> docs = Tables.flatDocs(db, "flat");
        double bulk = RawBulk.best(ctx, W1, "flat", "raw_flat", "-1", docs);

        ctx.search.createLike("flat", "raw_flat_versioned", "-1");
        double versioned = RawBulk.send(ctx.search, "raw_flat_versioned", docs, false, true);
        ctx.note(String.format(Locale.ROOT, "raw _bulk, versioned as the sink writes: %,.0f docs/s", versioned));
        ctx.add(Figure.rate(W1, "backfill docs/s vs raw _bulk docs/s (best of 1, 2, 4 senders)", backfill, bulk, 0.9));
        ctx.add(Figure.rate(W1, "backfill docs/s vs raw _bulk versioned as the sink writes (external_gte) docs/s",
                backfill, versioned, null));
        ctx.add(Figure.rate(W1, "capture changes/s vs Debezium capture changes/s", capture, peer, 1.2));
        ctx.add(Figure.rate(W1, "backfill docs/s (end to end) vs Debezium capture changes/s", backfill, peer, 0.7));
        ctx.add(Figure.rate(W1, "capture changes/s vs pg_recvlogical changes/s", capture, recv, null));
        Sql.dropIdleSlots(db);
    }

    /** Workloads 2 and 4 on the same rows: backfill, then child updates each rebuilding one parent. */
    void nestedAndFanOut() throws Exception {
        int parents = ctx.scale.parents();
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute(Tables.nestedTables(parents));
        BenchDeployment deployment = BenchDeployment.write(ctx.dir.resolve("w2"), db.url(), ctx.search.base(), "nested",
                Tables.NESTED_SCHEMA, "w2", "");
        double backfill = parents / backfillSeconds(deployment, parents);
        ctx.note(String.format(Locale.ROOT, "flusso backfill: %,.0f docs/s", backfill));
        ctx.addMemory(W2);

        long start = System.nanoTime();
        List<String[]> docs = Tables.docs(db, Tables.NESTED_BY_HAND);
        double build = docs.size() / ((System.nanoTime() - start) / 1e9);
        ctx.note(String.format(Locale.ROOT, "raw build: %,.0f docs/s", build));
        double bulk = RawBulk.best(ctx, W2, "nested", "raw_nested", "-1", docs);
        ctx.add(Figure.rate(W2, "backfill docs/s vs raw _bulk docs/s (best of 1, 2, 4 senders)", backfill, bulk, 0.9));
        ctx.add(Figure.rate(W2, "backfill docs/s vs raw build (one json_agg query) docs/s", backfill, build, null));

        fanOut(db, deployment, docs);
        Sql.dropIdleSlots(db);
    }

    private void fanOut(PostgresDatabase db, BenchDeployment deployment, List<String[]> docs) throws Exception {
        int updates = Math.min(ctx.scale.fanOutUpdates(), ctx.scale.parents());
        db.execute("CREATE PUBLICATION rcv_w4 FOR TABLE parent, child, tag, parent_tag");
        Sql.createSlot(db, "rcv_w4");
        double seconds;
        BenchDeployment.Wired wired = deployment.engine(ctx.providers, true, false);
        try (RunningEngine engine = RunningEngine.start(wired)) {
            engine.awaitStreaming(() -> Sql.slotActive(db, "w2"), "w2", Duration.ofMinutes(2));
            ctx.memory.reset();
            long base = engine.sink().durable();
            long start = System.nanoTime();
            // Each statement updates the first child of 1,000 parents: 1,000 documents to rebuild.
            for (int from = 1; from <= updates; from += 1_000) {
                int to = Math.min(updates, from + 999);
                db.execute("UPDATE child SET v = v + 1 WHERE id IN (SELECT (p - 1) * 5 + 1 FROM generate_series("
                        + from + ", " + to + ") p)");
            }
            seconds = (engine.awaitDurable(base + updates, LONG) - start) / 1e9;
        }
        ctx.addMemory(W4);
        String end = Sql.currentLsn(db);
        double recv = updates / PgRecvLogical.drain(db, "rcv_w4", "rcv_w4", end);
        ctx.note(String.format(Locale.ROOT, "fan-out: flusso %,.0f docs/s; pg_recvlogical %,.0f changes/s", updates / seconds, recv));
        double bulk = RawBulk.best(ctx, W4, "nested", "raw_nested_live", refreshInterval("nested"), docs.subList(0, updates));
        double rate = updates / seconds;
        ctx.add(Figure.rate(W4, "end-to-end docs/s vs min(pg_recvlogical changes/s, raw _bulk docs/s)", rate,
                Math.min(recv, bulk), 0.8));
        ctx.add(Figure.alone(W4, "limit: pg_recvlogical changes/s", recv));
    }

    /** {@return seconds from the engine's start to {@code rows} documents durable} Memory is measured meanwhile. */
    private double backfillSeconds(BenchDeployment deployment, long rows) throws Exception {
        ctx.memory.reset();
        BenchDeployment.Wired wired = deployment.engine(ctx.providers, true, false);
        long start = System.nanoTime();
        try (RunningEngine engine = RunningEngine.start(wired)) {
            return (engine.awaitDurable(rows, LONG) - start) / 1e9;
        }
    }

    /** {@return the refresh interval Flusso left on a seeded index} */
    String refreshInterval(String alias) {
        var settings = ctx.search.send("GET", "/" + alias + "/_settings/index.refresh_interval?include_defaults=true", null);
        var index = settings.elements().next();
        String value = index.path("settings").path("index").path("refresh_interval").asText("");
        return value.isEmpty() ? index.path("defaults").path("index").path("refresh_interval").asText("1s") : value;
    }
}
