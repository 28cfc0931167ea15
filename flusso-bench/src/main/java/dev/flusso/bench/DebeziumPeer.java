package dev.flusso.bench;

import dev.flusso.testing.postgres.PostgresDatabase;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The peer: Debezium's embedded engine with its PostgreSQL connector and pgoutput, delivering Connect records (no
 * serialisation: its cheapest format) to a consumer that only counts them.
 *
 * <p>To drain the same WAL as the other readers, it must hold a position from before the load. So {@link #prepare}
 * runs it once: it makes its slot (no data snapshot), streams one marker row, and stops with that offset stored in a
 * file. {@link #drain} runs it again after the load, from that offset, timed from the first event to the last.
 */
final class DebeziumPeer {

    private final PostgresDatabase database;
    private final String name;
    private final String tables;
    private final Path offsets;

    private DebeziumPeer(PostgresDatabase database, String name, String tables, Path offsets) {
        this.database = database;
        this.name = name;
        this.tables = tables;
        this.offsets = offsets;
    }

    /**
     * Makes the peer's publication (the tables and a marker table), slot and stored offset, before the load.
     *
     * @param table the loaded table, in schema public
     */
    static DebeziumPeer prepare(PostgresDatabase database, String name, String table, Path dir) throws Exception {
        database.execute("CREATE TABLE IF NOT EXISTS bench_marker (id bigint PRIMARY KEY)",
                "CREATE PUBLICATION " + name + " FOR TABLE " + table + ", bench_marker");
        Files.createDirectories(dir);
        DebeziumPeer peer = new DebeziumPeer(database, name, "public." + table + ",public.bench_marker",
                dir.resolve(name + ".offsets"));
        Files.deleteIfExists(peer.offsets);
        // Made here rather than by Debezium, whose own slot creation holds the slot for a moment and costs it a 10 s
        // retry; it then streams from the position it finds at start, before the marker.
        Sql.createSlot(database, name);
        long marker = System.nanoTime();
        peer.run(1, Duration.ofSeconds(120), true, () -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!Sql.slotActive(database, name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Debezium did not stream from slot '" + name + "' within 90 s;"
                            + " see its log above");
                }
                Thread.sleep(50);
            }
            database.execute("INSERT INTO bench_marker VALUES (" + marker + ")");
        });
        return peer;
    }

    /** {@return seconds from the first change event to the {@code count}th} */
    double drain(long count, Duration timeout) throws Exception {
        return run(count, timeout, false, () -> { });
    }

    interface Action {
        void run() throws Exception;
    }

    /** @param commitEachBatch whether offsets are stored after every batch (else at Debezium's default interval) */
    private double run(long count, Duration timeout, boolean commitEachBatch, Action whileRunning) throws Exception {
        // The walsender of a previous run may linger a moment; starting meanwhile costs Debezium a 10 s retry.
        for (int i = 0; i < 300 && Sql.slotActive(database, name); i++) {
            Thread.sleep(100);
        }
        AtomicLong seen = new AtomicLong();
        long[] times = new long[2];
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties(commitEachBatch))
                .notifying(event -> {
                    long n = seen.incrementAndGet();
                    if (n == 1) {
                        times[0] = System.nanoTime();
                    }
                    if (n == count) {
                        times[1] = System.nanoTime();
                        done.countDown();
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                    }
                    done.countDown();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            executor.execute(engine);
            whileRunning.run();
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || seen.get() < count) {
                throw new IllegalStateException("Debezium delivered " + seen.get() + " of " + count + " change events",
                        failure.get());
            }
        } finally {
            engine.close();
            executor.shutdown();
            executor.awaitTermination(60, TimeUnit.SECONDS);
        }
        return (times[1] - times[0]) / 1e9;
    }

    private Properties properties(boolean commitEachBatch) throws IOException {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsets.toString());
        p.setProperty("offset.flush.interval.ms", commitEachBatch ? "0" : "60000");
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", Integer.toString(database.server().port()));
        p.setProperty("database.user", "postgres");
        p.setProperty("database.password", "");
        p.setProperty("database.dbname", database.name());
        p.setProperty("topic.prefix", name);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", name);
        p.setProperty("publication.name", name);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("table.include.list", tables);
        return p;
    }

    /** Drops the peer's slot. */
    void dropSlot() {
        Sql.dropSlot(database, name);
    }
}
