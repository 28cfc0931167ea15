package dev.flusso.bench;

import dev.flusso.testing.opensearch.OpenSearchServer;
import dev.flusso.testing.postgres.PostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark harness: starts a real PostgreSQL and OpenSearch, runs the seven workloads through the real engine
 * (in this JVM, wired as {@code flusso run} wires it; workload 6 in a JVM of its own), measures the machine's limits
 * and the Debezium peer in the same run, prints a table and writes {@code results.json}.
 *
 * <p>{@code -Dflusso.bench=full} runs the sizes; anything else the quick sizes. {@code -Dflusso.bench.out}
 * names the output folder (default {@code target/bench}).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Scale scale = args.length > 0 && args[0].equals("full") ? Scale.FULL : Scale.fromProperty();
        List<Figure> figures = run(scale, Path.of(System.getProperty("flusso.bench.out", "target/bench")));
        System.exit(figures.isEmpty() ? 1 : 0);
    }

    /**
     * Runs every workload at the given scale.
     *
     * @return the figures, also printed and written to {@code out/results.json}
     */
    public static List<Figure> run(Scale scale, Path out) throws Exception {
        quietLogs();
        Files.createDirectories(out);
        long start = System.nanoTime();
        // Commits as a production server makes them: a logical walsender sends only WAL that is flushed, and with the test
        // servers' asynchronous commit the WAL writer flushes every wal_writer_delay (200 ms), which every commit-to-
        // searchable figure would carry. fsync stays off, so the flush itself costs next to nothing here.
        PostgresServer postgres = PostgresServer.start(java.util.Map.of("max_wal_size", "4GB", "checkpoint_timeout", "30min",
                "synchronous_commit", "on"));
        OpenSearchServer openSearch = OpenSearchServer.shared();
        Context ctx = new Context(postgres, new Search(openSearch.url()), scale, out.toAbsolutePath().resolve("work"));
        System.out.printf(Locale.ROOT, "flusso-bench %s: PostgreSQL %d, %s%n", scale.name(), postgres.port(), openSearch);
        step("warm-up of OpenSearch", () -> Warmup.run(ctx.search, Math.max(5_000, Math.min(50_000, scale.flatRows() / 4))));
        try {
            Set<String> only = selected();
            step(only, "1", "workload 1", () -> new BackfillWorkloads(ctx).flat());
            step(only, "2", "workloads 2 and 4", () -> new BackfillWorkloads(ctx).nestedAndFanOut());
            step(only, "3", "workload 3", () -> new LiveInserts(ctx).run());
            step(only, "5", "workload 5", () -> new Latency(ctx).run());
            step(only, "6", "workload 6", () -> new BigTransaction(ctx).run());
            step(only, "7", "workload 7", () -> new QueueWorkload(ctx).run());
        } finally {
            postgres.stopAndRemove();
        }
        Results.write(ctx.figures, out.resolve("results.json"));
        System.out.println(Results.table(ctx.figures));
        System.out.printf(Locale.ROOT, "flusso-bench %s took %.0f s; results in %s%n", scale.name(),
                (System.nanoTime() - start) / 1e9, out.resolve("results.json").toAbsolutePath());
        return ctx.figures;
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * {@return the workloads {@code flusso.bench.workloads} names (such as {@code 7}, or {@code 2,5}; 2 runs 4
     * too), every one when it is not set} For profiling one workload; the harness's test expects them all.
     */
    static Set<String> selected() {
        String named = System.getProperty("flusso.bench.workloads", "").trim();
        if (named.isEmpty()) {
            return Set.of("1", "2", "3", "4", "5", "6", "7");
        }
        Set<String> only = new TreeSet<>(Arrays.asList(named.split("\\s*,\\s*")));
        if (only.contains("2") || only.contains("4")) {
            only.addAll(List.of("2", "4"));
        }
        return only;
    }

    private static void step(Set<String> only, String id, String name, Step step) throws Exception {
        if (only.contains(id)) {
            step(name, step);
        }
    }

    private static void step(String name, Step step) throws Exception {
        long start = System.nanoTime();
        System.out.println("running " + name);
        step.run();
        System.out.printf(Locale.ROOT, "%s done in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
    }

    /** The engine logs each index's progress and Debezium its life: the table is what matters here. */
    private static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // Debezium warns once per event while its metrics queue is full: printing that would slow the peer down.
        System.setProperty("org.slf4j.simpleLogger.log.io.debezium.metrics", "error");
    }

}
