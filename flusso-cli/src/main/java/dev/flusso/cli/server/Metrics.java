package dev.flusso.cli.server;

import dev.flusso.api.BatchReport;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.Rejection;
import dev.flusso.api.RejectionPolicy;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a run has done, as Prometheus metrics, and its state for {@code /status} and the health checks: an observer
 * of the engine and of the capture.
 */
public final class Metrics implements Observer {

    /** One index's backfill as the status shows it. */
    public record Backfill(String state, long rowsDone, Long rowsEstimated, Instant started) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter changes = Counter.builder().name("flusso_changes_total")
            .help("Changes processed, by phase (backfill rows or live changes)").labelNames("phase").register(registry);
    private final Counter documents = Counter.builder().name("flusso_documents_total")
            .help("Documents written to the sink, by operation").labelNames("op").register(registry);
    private final Counter flushes = Counter.builder().name("flusso_flushes_total")
            .help("Batches flushed to the sink and acknowledged").register(registry);
    private final Counter flushRetries = Counter.builder().name("flusso_flush_retries_total")
            .help("Steps (build, flush, capture) that failed for a passing reason and were tried again").labelNames("step")
            .register(registry);
    private final Gauge outageSeconds = Gauge.builder().name("flusso_outage_seconds")
            .help("How long each step that is being retried has been failing; 0 once it works again").labelNames("step")
            .register(registry);
    private final Counter rejections = Counter.builder().name("flusso_rejections_total")
            .help("Documents rejected by the builder or the sink, by how they were handled").labelNames("policy").register(registry);
    private final Counter quarantined = Counter.builder().name("flusso_quarantined_total")
            .help("Rejected documents kept in the dead-letter destination").register(registry);
    private final Histogram flushSeconds = Histogram.builder().name("flusso_flush_duration_seconds")
            .help("Time to flush a batch to the sink").register(registry);
    private final Histogram buildSeconds = Histogram.builder().name("flusso_build_duration_seconds")
            .help("Time to resolve and build a batch's documents").register(registry);
    private final Gauge lagBytes = Gauge.builder().name("flusso_source_lag_bytes")
            .help("Change log the source retains past the confirmed position").register(registry);
    private final Gauge lagSeconds = Gauge.builder().name("flusso_source_lag_seconds")
            .help("Age of the oldest change not yet confirmed").register(registry);
    private final Gauge backfillRows = Gauge.builder().name("flusso_backfill_rows")
            .help("Rows of an index's backfill flushed in this run").labelNames("index").register(registry);
    private final Gauge backfillEstimated = Gauge.builder().name("flusso_backfill_rows_estimated")
            .help("The source's estimate of an index's backfill rows").labelNames("index").register(registry);

    private final Map<String, Backfill> backfills = new ConcurrentHashMap<>();
    private final Map<String, String> outages = new ConcurrentHashMap<>();
    private volatile boolean live;
    private volatile Throwable failure;
    private volatile long lastLagBytes = -1;
    private volatile Duration lastLag = Duration.ZERO;

    /** {@return the registry the metrics are in, for the exposition} */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void indexEnsured(IndexDefinition index) {
        backfills.putIfAbsent(index.name(), new Backfill("seeded", 0, null, null));
    }

    @Override
    public void backfillStarted(String index, OptionalLong estimatedRows, boolean resumed) {
        Long estimate = estimatedRows.isPresent() ? estimatedRows.getAsLong() : null;
        backfills.put(index, new Backfill(resumed ? "backfilling (resumed)" : "backfilling", 0, estimate, Instant.now()));
        if (estimate != null) {
            backfillEstimated.labelValues(index).set(estimate);
        }
        backfillRows.labelValues(index).set(0);
    }

    @Override
    public void backfillProgress(String index, long rowsFlushed) {
        backfills.computeIfPresent(index, (name, b) -> new Backfill(b.state(), rowsFlushed, b.rowsEstimated(), b.started()));
        backfillRows.labelValues(index).set(rowsFlushed);
    }

    @Override
    public void backfillCompleted(String index, long rowsFlushed) {
        backfills.computeIfPresent(index, (name, b) -> new Backfill("seeded", rowsFlushed, b.rowsEstimated(), b.started()));
        backfillRows.labelValues(index).set(rowsFlushed);
    }

    @Override
    public void liveStarted() {
        // A run restarted in-process (a reindex, a restart the source asked for) starts its retries afresh: a step
        // the previous engine left failing when it stopped reports nothing more.
        outages.clear();
        live = true;
    }

    @Override
    public void batchFlushed(BatchReport report) {
        changes.labelValues(report.backfill() ? "backfill" : "live").inc(report.changes());
        documents.labelValues("index").inc(report.documents());
        documents.labelValues("delete").inc(report.deletions());
        flushes.inc();
        flushSeconds.observe(report.flushTime().toNanos() / 1e9);
        buildSeconds.observe(report.buildTime().toNanos() / 1e9);
    }

    @Override
    public void sourceLag(long bytes, Duration behind) {
        lastLagBytes = bytes;
        lastLag = behind;
        lagBytes.set(bytes);
        lagSeconds.set(behind.toNanos() / 1e9);
    }

    @Override
    public void rejected(Rejection rejection, RejectionPolicy handling) {
        rejections.labelValues(handling.name().toLowerCase(java.util.Locale.ROOT)).inc();
        if (handling == RejectionPolicy.DEAD_LETTER) {
            quarantined.inc();
        }
    }

    @Override
    public void retrying(String step, int failedAttempt, Duration failingFor, Duration wait, RuntimeException cause) {
        flushRetries.labelValues(step).inc();
        outageSeconds.labelValues(step).set(failingFor.toMillis() / 1000.0);
        outages.put(step, cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    @Override
    public void recovered(String step, int failedAttempts, Duration outage) {
        outageSeconds.labelValues(step).set(0);
        outages.remove(step);
    }

    @Override
    public void failed(Throwable cause) {
        failure = cause;
    }

    /** {@return whether the run is healthy: it has not failed} */
    public boolean healthy() {
        return failure == null;
    }

    /** {@return whether the run is ready: healthy, every backfill done, live changes streaming, no step failing} */
    public boolean ready() {
        return healthy() && live && outages.isEmpty();
    }

    /** {@return each step that is failing and being retried now, with its last error} */
    public Map<String, String> outages() {
        return Map.copyOf(outages);
    }

    /** {@return each index's backfill state} */
    public Map<String, Backfill> backfills() {
        return Map.copyOf(backfills);
    }

    /** {@return the last lag the capture reported, in bytes; -1 before the first report} */
    public long lagBytes() {
        return lastLagBytes;
    }

    /** {@return the last lag the capture reported, in time} */
    public Duration lag() {
        return lastLag;
    }

    /** {@return the failure that ended the run, or {@code null}} */
    public Throwable failure() {
        return failure;
    }
}
