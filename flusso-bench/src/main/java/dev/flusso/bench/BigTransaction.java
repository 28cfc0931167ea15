package dev.flusso.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.testing.postgres.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Workload 6: one transaction of many rows, synced by an engine in a JVM of its own with {@code -Xmx256m}
 * ({@link BigTransactionRun}), on the harness's class path. Its figures come back as one JSON line.
 *
 * <p>{@code -Dflusso.bench.bigTransaction.jvm} runs the engine JVM once per set of options instead, side by side
 * (sets separated by {@code |}, an empty set meaning the JVM's defaults), to compare memory settings;
 * {@code -Dflusso.bench.bigTransaction.rows} sets the row count; {@code -Dflusso.bench.bigTransaction.settle=S} adds the
 * resident set after S seconds of idling once the transaction is durable (whether the JVM gives memory back).
 */
final class BigTransaction {

    static final String W6 = "6 memory";

    private final Context ctx;

    BigTransaction(Context ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        int rows = Integer.getInteger("flusso.bench.bigTransaction.rows", ctx.scale.bigTransaction());
        int settle = Integer.getInteger("flusso.bench.bigTransaction.settle", 0);
        String[] optionSets = System.getProperty("flusso.bench.bigTransaction.jvm", "-Xmx256m").split("\\|", -1);
        for (int i = 0; i < optionSets.length; i++) {
            run(rows, settle, List.of(optionSets[i].trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList(),
                    optionSets.length == 1 ? "" : "-" + (i + 1));
        }
    }

    private void run(int rows, int settle, List<String> jvmOptions, String suffix) throws Exception {
        String under = jvmOptions.isEmpty() ? "the JVM's defaults" : String.join(" ", jvmOptions);
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute(Tables.flatTable("big"));
        // Each run its own folder, index and slot, so that no run finds another's index seeded or slot still held.
        String index = "big" + suffix.replace("-", "_");
        String slot = "w6" + suffix.replace("-", "_");
        Path dir = ctx.dir.resolve("w6" + suffix);
        BenchDeployment.write(dir, db.url(), ctx.search.base(), index, Tables.flatSchema("big"), slot, "");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath(),
                BigTransactionRun.class.getName(), dir.toString(), db.jdbcUrl(), Integer.toString(rows), slot, Integer.toString(settle)));
        Path log = ctx.dir.resolve("w6" + suffix + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(20 * 60 + settle, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        JsonNode result = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith(BigTransactionRun.RESULT)) {
                result = Search.JSON.readTree(line.substring(BigTransactionRun.RESULT.length()));
            }
        }
        boolean completed = exited && process.exitValue() == 0 && result != null;
        String workload = W6 + suffix;
        ctx.add(new Figure(workload, "a " + rows + "-row transaction completes under " + under + " (1 = yes)",
                completed ? 1.0 : 0.0, 1.0, completed ? 1.0 : 0.0, 1.0));
        if (completed) {
            ctx.add(Figure.alone(workload, "docs/s, commit to last document durable", rows / result.path("seconds").asDouble()));
            ctx.add(Figure.alone(workload, "peak heap MB (pools' peaks, garbage included)", result.path("peakHeapMb").asDouble()));
            ctx.add(Figure.alone(workload, "live heap MB (most left after a GC)", result.path("liveHeapMb").asDouble()));
            ctx.add(Figure.alone(workload, "peak RSS MB (engine JVM)", result.path("peakRssMb").asDouble()));
            ctx.add(Figure.alone(workload, "idle RSS MB (engine JVM, streaming with nothing to stream; the original publishes 90-122 MiB)",
                    result.path("idleRssMb").asDouble()));
            ctx.add(Figure.alone(workload, "max heap MB (the JVM's limit under " + under + ")", result.path("maxHeapMb").asDouble()));
            if (settle > 0) {
                ctx.add(Figure.alone(workload, "RSS MB " + settle + " s after the transaction (engine JVM, idle)",
                        result.path("settledRssMb").asDouble()));
            }
        } else {
            System.out.println("workload 6 did not complete; its log, " + log + ", ends:\n" + tail(log));
        }
        Sql.dropIdleSlots(db);
    }

    /** Under surefire the JVM's class path is a manifest-only jar; its full class path is in a property. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
