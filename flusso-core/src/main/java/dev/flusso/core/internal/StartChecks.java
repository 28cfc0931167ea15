package dev.flusso.core.internal;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.Finding;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.RetriableException;
import dev.flusso.api.RetryPolicy;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.RetryStreak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run checks and records before it reads a change, in order: the mappings, first, on every start; then, in a
 * process that captures, what the sink must rebuild because the source lost its place, because the sink lost writes
 * behind the engine's back, or because the operator asked. Engine's start thread.
 */
public final class StartChecks {

    private static final Logger LOG = LoggerFactory.getLogger(StartChecks.class);
    private static final Duration START_BOUND = Duration.ofMinutes(1);

    private final ChangeCapture capture;
    private final DocumentBuilder builder;
    private final Sink sink;
    private final FailurePolicies policies;
    private final Observer observer;
    private final Blame blame;
    private final Sleeper sleeper;
    private final BooleanSupplier stopping;

    /** Thrown when the run is stopped while a start-up step waits for a server: the run has merely ended. */
    public static final class Stopped extends FlussoException {
        Stopped(String step) {
            super("stopped while " + step);
        }
    }

    public StartChecks(ChangeCapture capture, DocumentBuilder builder, Sink sink, FailurePolicies policies, Observer observer,
            Blame blame, Sleeper sleeper, BooleanSupplier stopping) {
        this.blame = blame;
        this.sleeper = sleeper;
        this.stopping = stopping;
        this.capture = capture;
        this.builder = builder;
        this.sink = sink;
        this.policies = policies;
        this.observer = observer;
    }

    /** {@return the builder's indexes, each ensured in the sink} Refuses a deployment the sink cannot serve. */
    public List<IndexDefinition> ensureMappings() {
        List<IndexDefinition> indexes = blame.get(Blame.BUILDER, builder::indexes);
        Set<String> seen = new HashSet<>();
        for (IndexDefinition index : indexes) {
            if (!seen.add(index.name())) {
                throw new ConfigurationException("index '" + index.name() + "' is defined twice");
            }
        }
        checkAgainstTheSource();
        Set<String> deadLettered = new LinkedHashSet<>();
        for (IndexDefinition index : indexes) {
            if (policies.rejectionPolicy(index.name()) == RejectionPolicy.DEAD_LETTER) {
                deadLettered.add(index.name());
            }
        }
        if (!deadLettered.isEmpty() && !blame.get(Blame.SINK, sink::supportsDeadLetters)) {
            throw new ConfigurationException("on_error = dead_letter for " + deadLettered + ", but the sink has no "
                    + "dead-letter destination; choose stop or skip");
        }
        for (IndexDefinition index : indexes) {
            untilUp("ensuring index '" + index.name() + "'", () -> {
                blame.run(Blame.SINK, () -> sink.ensureIndex(index));
                return null;
            });
            observer.indexEnsured(index);
            LOG.debug("ensured index '{}' ({})", index.name(), index.fingerprint());
        }
        return indexes;
    }

    /**
     * Asks the builder whether the schemas fit the source (tables, columns, types, expressions, privileges) before
     * anything is created: a run that would fail on its first build must not leave a generation, a publication or a
     * slot behind.
     */
    private void checkAgainstTheSource() {
        List<Finding> findings = untilUp("checking the schemas against the source",
                () -> blame.get(Blame.BUILDER, builder::check));
        for (Finding warning : findings) {
            if (warning.severity() == Finding.Severity.WARNING) {
                LOG.warn("{}: {} (fix: {})", warning.subject(), warning.message(), warning.fix());
            }
        }
        List<Finding> errors = findings.stream().filter(finding -> finding.severity() == Finding.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder("the schemas do not fit the database, so nothing was created:");
            for (Finding error : errors) {
                message.append("\n  ").append(error.subject()).append(": ").append(error.message());
                if (!error.fix().isEmpty()) {
                    message.append(" (fix: ").append(error.fix()).append(')');
                }
            }
            throw new ConfigurationException(message.toString());
        }
    }

    /**
     * The retry policy at start: bounded by time only, and by a minute at most. That covers a deployment that starts
     * everything at once and a short failover; a server not reached for longer from a fresh start is more often a
     * wrong address than an outage, and a run that has not started has nothing to carry on with.
     */
    static RetryPolicy atStart(RetryPolicy policy) {
        Duration bound = policy.giveUpAfter().compareTo(START_BOUND) < 0 ? policy.giveUpAfter() : START_BOUND;
        return new RetryPolicy(Integer.MAX_VALUE, policy.initialBackoff(), policy.maxBackoff(), bound);
    }

    /**
     * {@return the step's result} A server that is away when the run starts (a failover, a deployment that starts
     * everything at once) is waited for as the retry policy says, a minute at most ({@link #atStart}); a stop ends
     * the wait.
     */
    private <T> T untilUp(String step, java.util.function.Supplier<T> work) {
        RetryPolicy policy = atStart(policies.retry());
        RetryStreak streak = new RetryStreak(step, policy, observer);
        while (true) {
            try {
                T result = work.get();
                streak.succeeded();
                return result;
            } catch (RetriableException e) {
                if (stopping.getAsBoolean()) {
                    throw new Stopped(step);
                }
                Duration wait = streak.failed(e);
                LOG.warn("{} failed, trying again in {} ms (gives up {}): {}", step, wait.toMillis(), policy.bound(),
                        e.getMessage());
                try {
                    // In short steps, so that a stop is heard.
                    for (long left = wait.toMillis(); left > 0 && !stopping.getAsBoolean(); left -= 50) {
                        sleeper.sleep(Duration.ofMillis(Math.min(50, left)));
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new Stopped(step);
                }
                if (stopping.getAsBoolean()) {
                    throw new Stopped(step);
                }
            }
        }
    }

    /**
     * Records in the sink every index the run must rebuild, before the capture takes its place.
     *
     * @param inProcess whether capture and worker share this process over the in-process queue, so that what the
     *     sink recorded is what the source was told
     * @param rebuild the indexes the operator asked to rebuild
     * @param backfill whether this run backfills
     */
    public void markRebuilds(List<IndexDefinition> indexes, boolean inProcess, Set<String> rebuild, boolean backfill) {
        if (!blame.get(Blame.CAPTURE, capture::canResume)) {
            forgetSeeding(indexes, backfill);
            return;
        }
        if (inProcess) {
            rebuildWhatTheSinkLost(indexes);
        }
        startRebuilds(indexes, rebuild);
    }

    /** The source lost its place: every index must be read again, and that is recorded before anything else. */
    private void forgetSeeding(List<IndexDefinition> indexes, boolean backfill) {
        // The capture says why (a first run, or a dropped or invalidated slot); only the latter deserves a warning.
        LOG.info("the source starts afresh: every index is rebuilt from a full backfill{}",
                backfill ? "" : " once backfill is allowed (it is skipped in this run)");
        for (IndexDefinition index : indexes) {
            blame.run(Blame.SINK, () -> sink.markUnseeded(index.name()));
        }
    }

    /**
     * An index whose sink recorded an older version than the source was told is durable lost writes behind the
     * engine's back (a destination restored from an older backup): the changes in between are gone from the source
     * too, so only a rebuild makes it whole. That holds for an index restored mid-backfill as well: resumed from the
     * restored checkpoint, its rows before it would keep their old contents. Only where the sink's flushes are what the
     * source is told: with a durable queue the source is confirmed once the queue holds a change, ahead of any sink by
     * design. Asked after {@link ChangeCapture#canResume()} read the source's position, so a version recorded since
     * by a process still running (one a rolling deployment replaces) is not taken for an old one.
     */
    private void rebuildWhatTheSinkLost(List<IndexDefinition> indexes) {
        List<String> unrecorded = new ArrayList<>();
        for (IndexDefinition index : indexes) {
            String name = index.name();
            OptionalLong recorded = blame.get(Blame.SINK, () -> sink.recordedVersion(name));
            if (recorded.isEmpty()) {
                unrecorded.add(name);
                continue;
            }
            Optional<String> lost = blame.get(Blame.CAPTURE, () -> capture.confirmedBeyond(recorded.getAsLong()));
            if (lost.isPresent()) {
                LOG.warn("index '{}' lacks changes its source was told were durable: {}. Was the destination restored"
                        + " from an older backup? Rebuilding the index from a full backfill", name, lost.get());
                blame.run(Blame.SINK, () -> sink.markUnseeded(name));
            }
        }
        if (!unrecorded.isEmpty()) {
            LOG.info("the sink has recorded no version for {} yet: a destination restored from an older backup cannot be"
                    + " told from a current one until it has", unrecorded);
        }
    }

    /** Indexes the operator asked to rebuild get a fresh backfill, beside what the sink serves meanwhile. */
    private void startRebuilds(List<IndexDefinition> indexes, Set<String> rebuild) {
        Set<String> known = indexes.stream().map(IndexDefinition::name).collect(Collectors.toSet());
        for (String index : rebuild) {
            if (!known.contains(index)) {
                throw new ConfigurationException("cannot rebuild index '" + index + "': the deployment's indexes are "
                        + new TreeSet<>(known));
            }
        }
        for (String index : rebuild) {
            LOG.info("rebuilding index '{}' from a full backfill, as asked", index);
            blame.run(Blame.SINK, () -> sink.markUnseeded(index));
        }
    }
}
