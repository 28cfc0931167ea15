package dev.flusso.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak heap and resident set of this JVM over a stretch of time. Heap: the sum of the heap pools' peaks, which
 * includes garbage not yet collected, so it approaches the heap's size under load; {@link #liveHeapMb()} samples
 * what stays after collections. RSS: the kernel's high-water mark ({@code VmHWM}), reset through
 * {@code /proc/self/clear_refs}.
 */
final class Memory {

    private static final double MB = 1024.0 * 1024.0;

    private volatile long maxLive;
    private volatile boolean sampling;

    /** Starts a new stretch: peaks reset, a sampler of the heap left after collections running. */
    void reset() {
        // The harness's own garbage (prebuilt documents of an earlier limit) must not count; nor may the old
        // generation's usage after its last collection, which a young collection never updates.
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: the high-water mark then covers the JVM's life
        }
        maxLive = 0;
        if (!sampling) {
            sampling = true;
            Thread sampler = new Thread(this::sample, "bench-memory");
            sampler.setDaemon(true);
            sampler.start();
        }
    }

    private void sample() {
        while (true) {
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    live += pool.getCollectionUsage().getUsed();
                }
            }
            maxLive = Math.max(maxLive, live);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** {@return the heap pools' summed peaks since {@link #reset()}, in MB} */
    double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / MB;
    }

    /** {@return the most heap found in use right after a collection since {@link #reset()}, in MB} */
    double liveHeapMb() {
        return maxLive / MB;
    }

    /** {@return the resident set's high-water mark, in MB, or -1 where {@code /proc} is missing} */
    static double peakRssMb() {
        return status("VmHWM:");
    }

    /** {@return the process's resident set now, in MB; -1 where the kernel does not say} */
    static double rssMb() {
        return status("VmRSS:");
    }

    private static double status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }
}
