package dev.flusso.bench;

import java.time.Duration;

/**
 * How big each workload is. Quick mode keeps the harness from rotting inside {@code mvn verify}; full mode is the
 * issue's sizes.
 *
 * @param name {@code quick} or {@code full}
 * @param flatRows workload 1's rows
 * @param parents workload 2's parents (each with five children and two tags)
 * @param liveRows workload 3's inserted rows
 * @param fanOutUpdates workload 4's child updates, each of a different parent
 * @param latencyRun workload 5's time at {@link #latencyRate} changes per second
 * @param latencyRate workload 5's steady rate
 * @param bigTransaction workload 6's rows in one transaction
 * @param queueRows workload 7's inserted rows, for each queue and worker count
 */
public record Scale(String name, int flatRows, int parents, int liveRows, int fanOutUpdates, Duration latencyRun,
        int latencyRate, int bigTransaction, int queueRows) {

    static final Scale QUICK = new Scale("quick", 10_000, 2_000, 10_000, 2_000, Duration.ofSeconds(3), 1_000, 50_000, 5_000);
    static final Scale FULL = new Scale("full", 1_000_000, 200_000, 200_000, 100_000, Duration.ofSeconds(30), 1_000,
            1_000_000, 100_000);

    /**
     * {@return the scale named by {@code flusso.bench}: {@code full} for the sizes, else quick} With
     * {@code full}, {@code flusso.bench.fraction} (default 1) scales every count, for a machine too busy for the
     * issue's sizes within its time.
     */
    static Scale fromProperty() {
        if (!"full".equalsIgnoreCase(System.getProperty("flusso.bench", "").trim())) {
            return QUICK;
        }
        double fraction = Double.parseDouble(System.getProperty("flusso.bench.fraction", "1"));
        return fraction == 1 ? FULL : FULL.times(fraction);
    }

    private Scale times(double fraction) {
        return new Scale(name + " x" + fraction, (int) (flatRows * fraction), (int) (parents * fraction),
                (int) (liveRows * fraction), (int) (fanOutUpdates * fraction), latencyRun, latencyRate,
                bigTransaction, (int) (queueRows * fraction));
    }
}
