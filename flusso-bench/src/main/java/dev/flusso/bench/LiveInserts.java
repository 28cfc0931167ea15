package dev.flusso.bench;

import dev.flusso.testing.postgres.PostgresDatabase;
import java.time.Duration;
import java.util.Locale;

/**
 * Workload 3: a writer inserts rows as fast as it can (1,000 per transaction) while the engine streams; end to end
 * is from the writer's start to the last document durable. The same WAL is drained afterwards by pg_recvlogical,
 * Flusso's capture alone and Debezium, each from a slot made before the writer started.
 */
final class LiveInserts {

    static final String W3 = "3 live inserts";
    private static final Duration LONG = Duration.ofMinutes(15);

    private final Context ctx;

    LiveInserts(Context ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        int rows = ctx.scale.liveRows();
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute(Tables.flatTable("live"));
        DebeziumPeer debezium = DebeziumPeer.prepare(db, "dbz_w3", "live", ctx.dir.resolve("w3"));
        ctx.note("Debezium slot and offset made");
        db.execute("CREATE PUBLICATION rcv_w3 FOR TABLE live");
        Sql.createSlot(db, "rcv_w3");
        BenchDeployment alone = BenchDeployment.write(ctx.dir.resolve("w3-capture"), db.url(), ctx.search.base(), "live",
                Tables.flatSchema("live"), "cap_w3", "");
        WalDrain wal = WalDrain.open(alone.capture(ctx.providers, alone.indexes()));

        BenchDeployment deployment = BenchDeployment.write(ctx.dir.resolve("w3"), db.url(), ctx.search.base(), "live",
                Tables.flatSchema("live"), "w3", "");
        double seconds;
        double writer;
        try (RunningEngine engine = RunningEngine.start(deployment.engine(ctx.providers, true, false))) {
            engine.awaitStreaming(() -> Sql.slotActive(db, "w3"), "w3", Duration.ofMinutes(2));
            ctx.memory.reset();
            long start = System.nanoTime();
            Tables.loadFlat(db, "live", rows, 1_000);
            writer = rows / ((System.nanoTime() - start) / 1e9);
            seconds = (engine.awaitDurable(rows, LONG) - start) / 1e9;
        }
        ctx.addMemory(W3);
        String end = Sql.currentLsn(db);
        ctx.note(String.format(Locale.ROOT, "flusso end to end: %,.0f docs/s (writer %,.0f rows/s)", rows / seconds, writer));
        double recv = rows / PgRecvLogical.drain(db, "rcv_w3", "rcv_w3", end);
        ctx.note(String.format(Locale.ROOT, "pg_recvlogical: %,.0f changes/s", recv));
        double capture = rows / wal.drain(rows, LONG);
        ctx.note(String.format(Locale.ROOT, "flusso wal capture: %,.0f changes/s", capture));
        double peer = rows / debezium.drain(rows, LONG);
        ctx.note(String.format(Locale.ROOT, "Debezium: %,.0f changes/s", peer));
        double bulk = RawBulk.best(ctx, W3, "live", "raw_live", new BackfillWorkloads(ctx).refreshInterval("live"),
                Tables.flatDocs(db, "live"));

        double rate = rows / seconds;
        ctx.add(Figure.rate(W3, "end-to-end docs/s vs min(pg_recvlogical changes/s, raw _bulk docs/s)", rate,
                Math.min(recv, bulk), 0.9));
        ctx.add(Figure.rate(W3, "capture changes/s vs Debezium capture changes/s", capture, peer, 1.2));
        ctx.add(Figure.rate(W3, "end-to-end docs/s vs Debezium capture changes/s", rate, peer, 0.7));
        ctx.add(Figure.rate(W3, "capture changes/s vs pg_recvlogical changes/s", capture, recv, null));
        ctx.add(Figure.alone(W3, "limit: pg_recvlogical changes/s", recv));
        ctx.add(Figure.alone(W3, "writer rows/s (1,000-row transactions, engine running)", writer));
        Sql.dropIdleSlots(db);
    }
}
