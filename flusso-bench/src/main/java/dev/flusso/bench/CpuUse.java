package dev.flusso.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Where a stretch of time's CPU went: the machine's busy share (from {@code /proc/stat}) and the CPU time of the
 * processes whose command line names a given main class, such as the Kafka broker's.
 */
final class CpuUse {

    private final String mainClass;
    private final long[] machineAtStart;
    private final Duration processAtStart;

    private CpuUse(String mainClass) {
        this.mainClass = mainClass;
        this.machineAtStart = machine();
        this.processAtStart = process(mainClass);
    }

    /** Starts measuring, now. */
    static CpuUse start(String mainClass) {
        return new CpuUse(mainClass);
    }

    /** {@return the machine's busy share since the start, in percent of all its cores} */
    double machineBusyPercent() {
        long[] now = machine();
        long total = now[0] - machineAtStart[0];
        long idle = now[1] - machineAtStart[1];
        return total <= 0 ? 0 : 100.0 * (total - idle) / total;
    }

    /** {@return the CPU time the processes of the main class used since the start} */
    Duration processCpu() {
        return process(mainClass).minus(processAtStart);
    }

    /** {@return all jiffies and idle jiffies (idle and iowait) of the machine so far} */
    private static long[] machine() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] values = Arrays.stream(fields, 1, fields.length).mapToLong(Long::parseLong).toArray();
            return new long[] {Arrays.stream(values).sum(), values[3] + values[4]};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat", e);
        }
    }

    private static Duration process(String mainClass) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(" " + mainClass)).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }
}
