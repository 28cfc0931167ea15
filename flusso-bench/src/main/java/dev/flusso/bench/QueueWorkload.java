package dev.flusso.bench;

import dev.flusso.core.Engine;
import dev.flusso.testing.kafka.KafkaServer;
import dev.flusso.testing.postgres.PostgresDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * Workload 7: the {@code kafka} queue beside the {@code channel} queue, in the same run. Throughput: the writer of
 * workload 3 (1,000 rows per transaction, as fast as it can) through the channel, then through Kafka with one capture
 * engine and 1, 2 and 3 worker engines in one consumer group; end to end is from the writer's start to the last
 * document durable. Latency: workload 5's steady single-row commits through the channel, then through Kafka with one
 * worker.
 *
 * <p>The engines run in this JVM, as the other workloads' do: the workers share its two cores with the capture,
 * PostgreSQL, OpenSearch and the broker, so the figures show what the queue costs, not what more machines would
 * give.
 */
final class QueueWorkload {

    static final String W7 = "7 kafka queue";
    /** Enough partitions that 1, 2 and 3 workers each get an equal share. */
    private static final int PARTITIONS = 6;
    private static final Duration LONG = Duration.ofMinutes(15);

    private final Context ctx;

    QueueWorkload(Context ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        ctx.note("Kafka " + kafka.version() + " at " + kafka.bootstrapServers());
        double overChannel = throughput(kafka, "w7_channel", 0, "");
        ctx.add(Figure.alone(W7, "end-to-end docs/s, channel queue", overChannel));
        for (int workers = 1; workers <= 3; workers++) {
            String name = "w7_kafka" + workers;
            double rate = throughput(kafka, name, workers, section(kafka, name));
            ctx.add(Figure.rate(W7, "end-to-end docs/s, kafka queue, " + workers + " worker" + (workers == 1 ? "" : "s")
                    + " vs channel queue", rate, overChannel, null));
        }

        ctx.memory.reset();
        // Side by side: the channel's run just before Kafka's, not workload 5's of minutes ago.
        Latency.Measured channel = new Latency(ctx).measure("w7_chan", "", 0);
        Latency.Measured overKafka = new Latency(ctx).measure("w7_lat", section(kafka, "w7_lat"), 1);
        ctx.note(String.format(Locale.ROOT, "kafka latency: searchable p50 %.0f ms p99 %.0f ms; durable p50 %.0f ms p99 %.0f ms",
                overKafka.searchable(50), overKafka.searchable(99), overKafka.durable(50), overKafka.durable(99)));
        for (int percent : new int[] {50, 99}) {
            ctx.add(Figure.time(W7, "commit-to-searchable p" + percent + " ms at " + ctx.scale.latencyRate()
                    + "/s, kafka vs channel", overKafka.searchable(percent), channel.searchable(percent), null));
            ctx.add(Figure.time(W7, "commit-to-durable p" + percent + " ms at " + ctx.scale.latencyRate()
                    + "/s, kafka vs channel", overKafka.durable(percent), channel.durable(percent), null));
            ctx.add(Figure.alone(W7, "added commit-to-durable p" + percent + " ms (kafka minus channel; below 0 is noise)",
                    overKafka.durable(percent) - channel.durable(percent)));
        }
        ctx.add(Figure.alone(W7, "writer changes/s achieved, kafka (asked " + ctx.scale.latencyRate() + ")", overKafka.achieved()));
        ctx.addMemory(W7);
    }

    /**
     * Inserts the scale's rows as fast as the writer can while the engines stream.
     *
     * @param workers 0 for one engine with every role over the channel; otherwise a capture engine and this many
     *     workers over the queue of {@code queue}
     * @return end-to-end documents per second
     */
    private double throughput(KafkaServer kafka, String name, int workers, String queue) throws Exception {
        int rows = ctx.scale.queueRows();
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute(Tables.flatTable("live"));
        BenchDeployment deployment = BenchDeployment.write(ctx.dir.resolve(name), db.url(), ctx.search.base(), name,
                Tables.flatSchema("live"), name, "", queue);
        List<BenchDeployment.Wired> engines = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            engines.add(deployment.engine(ctx.providers, true, false, Engine.Role.WORKER));
        }
        engines.add(deployment.engine(ctx.providers, true, false, workers == 0 ? Engine.Role.ALL : Engine.Role.CAPTURE));
        double seconds;
        CpuUse cpu;
        try (RunningEngine engine = RunningEngine.start(engines.toArray(BenchDeployment.Wired[]::new))) {
            engine.awaitStreaming(() -> Sql.slotActive(db, name), name, Duration.ofMinutes(2));
            if (workers > 0) {
                // Steady state: the group's members hold their partitions before the first change is written.
                awaitGroup(kafka, name + "-group", workers);
            }
            cpu = CpuUse.start("kafka.Kafka");
            long start = System.nanoTime();
            Tables.loadFlat(db, "live", rows, 1_000);
            seconds = (engine.awaitDurable(rows, LONG) - start) / 1e9;
        }
        double busy = cpu.machineBusyPercent();
        double broker = cpu.processCpu().toMillis() / (rows / 1_000.0);
        ctx.note(String.format(Locale.ROOT, "%s: %,.0f docs/s; machine %.0f%% busy; broker %.0f ms CPU per 1,000 changes",
                name, rows / seconds, busy, broker));
        String variant = workers == 0 ? "channel queue" : "kafka queue, " + workers + " worker" + (workers == 1 ? "" : "s");
        ctx.add(Figure.alone(W7, "machine CPU busy % (2 cores, everything), " + variant, busy));
        if (workers > 0) {
            ctx.add(Figure.alone(W7, "broker CPU ms per 1,000 changes, " + variant, broker));
        }
        Sql.dropIdleSlots(db);
        return rows / seconds;
    }

    private static void awaitGroup(KafkaServer kafka, String group, int members) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            while (true) {
                ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                        .get(30, TimeUnit.SECONDS);
                if (described.members().size() == members
                        && described.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("group '" + group + "' did not settle on " + members + " members: "
                            + described);
                }
                Thread.sleep(50);
            }
        }
    }

    private static String section(KafkaServer kafka, String name) {
        return """
                [queue]
                type = "kafka"
                bootstrap_servers = "%s"
                topic = "%s"
                group_id = "%s-group"
                partitions = %d
                """.formatted(kafka.bootstrapServers(), name, name, PARTITIONS);
    }
}
