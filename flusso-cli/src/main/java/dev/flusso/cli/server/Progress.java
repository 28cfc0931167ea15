package dev.flusso.cli.server;

import dev.flusso.api.BatchReport;
import dev.flusso.api.Observer;
import dev.flusso.api.Rejection;
import dev.flusso.api.RejectionPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress for the operator: per index during backfill, rows done of the estimate, rows per second and the time
 * left; once live, the lag, documents per second and rejections. On a terminal a line redrawn in place every
 * second; otherwise a log line every {@code interval}.
 */
public final class Progress implements Observer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final Metrics metrics;
    private final PrintStream terminal;
    private final ScheduledExecutorService ticker;
    private final AtomicLong documents = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private volatile boolean live;
    private long lastDocuments;
    private long lastTick = System.nanoTime();
    private final Map<String, Long> lastRows = new java.util.HashMap<>();

    /**
     * @param metrics where the backfill and lag figures come from
     * @param terminal where to draw a live line, or {@code null} to log periodic lines instead
     * @param interval between two updates
     */
    public Progress(Metrics metrics, PrintStream terminal, Duration interval) {
        this.metrics = metrics;
        this.terminal = terminal;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flusso-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void liveStarted() {
        live = true;
    }

    @Override
    public void batchFlushed(BatchReport report) {
        documents.addAndGet(report.documents() + report.deletions());
    }

    @Override
    public void rejected(Rejection rejection, RejectionPolicy handling) {
        rejections.incrementAndGet();
    }

    private synchronized void tick() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastTick) / 1e9);
        lastTick = now;
        StringBuilder line = new StringBuilder();
        if (!live) {
            metrics.backfills().forEach((index, backfill) -> {
                if (!backfill.state().startsWith("backfilling")) {
                    return;
                }
                long previous = lastRows.getOrDefault(index, 0L);
                lastRows.put(index, backfill.rowsDone());
                double rate = (backfill.rowsDone() - previous) / seconds;
                line.append(line.isEmpty() ? "" : "  ").append(backfillLine(index, backfill, rate));
            });
        } else {
            long total = documents.get();
            double rate = (total - lastDocuments) / seconds;
            lastDocuments = total;
            line.append(String.format("live: %,.0f docs/s, %,d written, %,d rejected", rate, total, rejections.get()));
            if (metrics.lagBytes() >= 0) {
                line.append(String.format(", lag %s, %.1f s", bytes(metrics.lagBytes()), metrics.lag().toMillis() / 1000.0));
            }
        }
        if (line.isEmpty()) {
            return;
        }
        if (terminal != null) {
            terminal.print("\r\033[K" + line);
            terminal.flush();
        } else {
            LOG.info("{}", line);
        }
    }

    static String backfillLine(String index, Metrics.Backfill backfill, double rate) {
        Long estimate = backfill.rowsEstimated();
        if (estimate == null || estimate <= 0) {
            return String.format("%s: %,d rows, %,.0f rows/s", index, backfill.rowsDone(), rate);
        }
        double fraction = Math.min(1.0, backfill.rowsDone() / (double) estimate);
        int width = 20;
        int filled = (int) Math.round(fraction * width);
        String eta = rate > 0 ? Duration.ofSeconds((long) (Math.max(0, estimate - backfill.rowsDone()) / rate)).toString()
                .substring(2).toLowerCase(java.util.Locale.ROOT) : "?";
        return String.format("%s [%s%s] %3.0f%% %,d/~%,d rows, %,.0f rows/s, eta %s", index, "#".repeat(filled),
                ".".repeat(width - filled), fraction * 100, backfill.rowsDone(), estimate, rate, eta);
    }

    private static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format("%.1f %siB", bytes / (double) (1L << (unit * 10)), "KMGTPE".charAt(unit - 1));
    }

    /**
     * {@return standard error, when it is a terminal: the progress line is drawn there} {@code System.console()} asks
     * about standard input and output, so {@code flusso run 2>run.log} at a terminal would put escape codes in the log.
     */
    public static PrintStream terminal() {
        return isTerminal(Path.of("/proc/self/fd/2")) ? System.err : null;
    }

    /** {@return whether the file descriptor link names a terminal device} False where it cannot be told (not Linux). */
    static boolean isTerminal(Path descriptor) {
        try {
            String target = Files.readSymbolicLink(descriptor).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (terminal != null) {
            terminal.println();
        }
    }
}
