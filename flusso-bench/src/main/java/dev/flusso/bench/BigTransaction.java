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
 */
final class BigTransaction {

    static final String W6 = "6 memory";

    private final Context ctx;

    BigTransaction(Context ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        int rows = ctx.scale.bigTransaction();
        PostgresDatabase db = ctx.postgres.createDatabase();
        db.execute(Tables.flatTable("big"));
        Path dir = ctx.dir.resolve("w6");
        BenchDeployment.write(dir, db.url(), ctx.search.base(), "big", Tables.flatSchema("big"), "w6", "");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath(),
                BigTransactionRun.class.getName(), dir.toString(), db.jdbcUrl(), Integer.toString(rows)));
        Path log = ctx.dir.resolve("w6.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(20, TimeUnit.MINUTES);
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
        ctx.add(new Figure(W6, "a " + rows + "-row transaction completes under -Xmx256m (1 = yes)", completed ? 1.0 : 0.0,
                1.0, completed ? 1.0 : 0.0, 1.0));
        if (completed) {
            ctx.add(Figure.alone(W6, "docs/s, commit to last document durable", rows / result.path("seconds").asDouble()));
            ctx.add(Figure.alone(W6, "peak heap MB (pools' peaks, garbage included)", result.path("peakHeapMb").asDouble()));
            ctx.add(Figure.alone(W6, "live heap MB (most left after a GC)", result.path("liveHeapMb").asDouble()));
            ctx.add(Figure.alone(W6, "peak RSS MB (engine JVM)", result.path("peakRssMb").asDouble()));
            ctx.add(Figure.alone(W6, "idle RSS MB (engine JVM, streaming with nothing to stream; the original publishes 90-122 MiB)",
                    result.path("idleRssMb").asDouble()));
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
