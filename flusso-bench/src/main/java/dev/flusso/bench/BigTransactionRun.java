package dev.flusso.bench;

import dev.flusso.core.Providers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * The engine JVM of workload 6: runs the deployment compiled into a folder, waits until it streams, commits one
 * transaction of {@code rows} rows, waits until every document is durable, and prints {@value #RESULT} and a JSON
 * object of its figures.
 *
 * <p>Arguments: the deployment folder, the source's JDBC URL, the row count, the deployment's slot, and the seconds
 * to stay idle afterwards before the resident set is read again (0: not read).
 */
public final class BigTransactionRun {

    static final String RESULT = "RESULT ";

    private BigTransactionRun() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String jdbcUrl = args[1];
        int rows = Integer.parseInt(args[2]);
        String slot = args[3];
        int settleSeconds = Integer.parseInt(args[4]);
        BenchDeployment deployment = BenchDeployment.load(dir);
        Memory memory = new Memory();
        try (RunningEngine engine = RunningEngine.start(deployment.engine(Providers.load(), true, false))) {
            engine.awaitStreaming(() -> slotActive(jdbcUrl, slot), slot, Duration.ofMinutes(2));
            // Idle: streaming, nothing to stream, a few seconds for start-up's garbage to be collected.
            Thread.sleep(3_000);
            System.gc();
            Thread.sleep(500);
            double idleRssMb = Memory.rssMb();
            memory.reset();
            long start = System.nanoTime();
            try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
                statement.execute(Tables.flatRows("big", 1, rows));
            }
            double seconds = (engine.awaitDurable(rows, Duration.ofMinutes(18)) - start) / 1e9;
            double peakRssMb = Memory.peakRssMb();
            double peakHeapMb = memory.peakHeapMb();
            // Whether the JVM gives the heap the transaction took back once the engine idles again.
            Thread.sleep(settleSeconds * 1000L);
            double settledRssMb = settleSeconds > 0 ? Memory.rssMb() : -1;
            System.out.println(RESULT + String.format(Locale.ROOT,
                    "{\"seconds\":%.3f,\"peakHeapMb\":%.1f,\"liveHeapMb\":%.1f,\"peakRssMb\":%.1f,\"idleRssMb\":%.1f,"
                    + "\"maxHeapMb\":%.1f,\"settledRssMb\":%.1f}",
                    seconds, peakHeapMb, memory.liveHeapMb(), peakRssMb, idleRssMb,
                    Runtime.getRuntime().maxMemory() / 1048576.0, settledRssMb));
        }
        System.exit(0);
    }

    private static boolean slotActive(String jdbcUrl, String slot) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            return result.next() && result.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }
}
