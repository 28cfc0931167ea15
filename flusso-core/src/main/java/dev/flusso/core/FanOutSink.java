package dev.flusso.core;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Finding;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Rejection;
import dev.flusso.api.RetriableException;
import dev.flusso.api.Sink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Several sinks as one: every document goes to each, and a flush is durable only when every sink has flushed. A
 * sink that fails a flush fails it for all; after a retriable failure, the sinks that had flushed have empty
 * buffers, so the retry costs them nothing.
 *
 * <p>An index is seeded only when every sink says so, so a sink added to a deployment is backfilled (the others
 * receive the same documents again, which idempotent writes make harmless). A backfill checkpoint is used only when
 * all sinks agree on it; otherwise the backfill starts over.
 */
public final class FanOutSink implements Sink {

    private final Map<String, Sink> sinks;
    // Refusals of sinks whose flush succeeded while another's failed retriably: reported by the next that succeeds.
    private final List<Rejection> unreported = new ArrayList<>();

    /**
     * @param sinks the sinks by their configured names, at least one; rejections name the sink that refused
     */
    public FanOutSink(Map<String, Sink> sinks) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("a fan-out needs at least one sink");
        }
        this.sinks = new LinkedHashMap<>(sinks);
    }

    /** {@return the only sink itself when there is one, else a fan-out over them all} */
    public static Sink of(Map<String, Sink> sinks) {
        return sinks.size() == 1 ? sinks.values().iterator().next() : new FanOutSink(sinks);
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        sinks.values().forEach(sink -> sink.ensureIndex(index));
    }

    @Override
    public boolean isSeeded(String index) {
        return sinks.values().stream().allMatch(sink -> sink.isSeeded(index));
    }

    @Override
    public void markSeeded(String index) {
        sinks.values().forEach(sink -> sink.markSeeded(index));
    }

    @Override
    public void markUnseeded(String index) {
        sinks.values().forEach(sink -> sink.markUnseeded(index));
    }

    @Override
    public Optional<String> backfillCheckpoint(String index) {
        Optional<String> agreed = null;
        for (Sink sink : sinks.values()) {
            Optional<String> checkpoint = sink.backfillCheckpoint(index);
            if (agreed == null) {
                agreed = checkpoint;
            } else if (!agreed.equals(checkpoint)) {
                return Optional.empty();
            }
        }
        return agreed;
    }

    @Override
    public void saveCheckpoint(String index, String checkpoint) {
        sinks.values().forEach(sink -> sink.saveCheckpoint(index, checkpoint));
    }

    @Override
    public void write(Document document) {
        sinks.values().forEach(sink -> sink.write(document));
    }

    @Override
    public void recordVersion(long version) {
        sinks.values().forEach(sink -> sink.recordVersion(version));
    }

    /** The sink furthest behind decides; a sink that records no versions cannot tell, so it is left out. */
    @Override
    public OptionalLong recordedVersion(String index) {
        return sinks.values().stream().map(sink -> sink.recordedVersion(index)).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).min();
    }

    @Override
    public FlushResult flush() {
        List<Rejection> rejections = new ArrayList<>();
        RuntimeException retriable = null;
        for (Map.Entry<String, Sink> sink : sinks.entrySet()) {
            try {
                rejections.addAll(named(sink.getKey(), sink.getValue().flush()));
            } catch (RetriableException e) {
                retriable = retriable == null ? e : retriable;
            }
        }
        return settled(rejections, retriable, null);
    }

    /**
     * Starts every sink's flush at once, so the sinks write side by side; completes when all have. A sink that fails
     * fails it for all: with a retriable failure only when every failure was retriable, as each such sink keeps its
     * writes for the next flush and those that succeeded hold theirs durably. What the sinks that succeeded refused is
     * then reported by the flush that succeeds for all, since they will not send it again.
     */
    @Override
    public CompletableFuture<FlushResult> flushAsync() {
        Map<String, CompletableFuture<FlushResult>> flushes = new LinkedHashMap<>();
        sinks.forEach((name, sink) -> {
            // A sink that cannot even start its flush must not leave the others' flushes behind unwatched.
            try {
                flushes.put(name, sink.flushAsync());
            } catch (RuntimeException e) {
                flushes.put(name, CompletableFuture.failedFuture(e));
            }
        });
        return CompletableFuture.allOf(flushes.values().toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            List<Rejection> rejections = new ArrayList<>();
            RuntimeException retriable = null;
            RuntimeException fatal = null;
            for (Map.Entry<String, CompletableFuture<FlushResult>> flush : flushes.entrySet()) {
                try {
                    rejections.addAll(named(flush.getKey(), flush.getValue().join()));
                } catch (CompletionException e) {
                    if (e.getCause() instanceof RetriableException again) {
                        retriable = retriable == null ? again : retriable;
                    } else {
                        fatal = fatal == null ? e : fatal;
                    }
                }
            }
            return settled(rejections, retriable, fatal);
        });
    }

    private static List<Rejection> named(String sink, FlushResult result) {
        List<Rejection> named = new ArrayList<>();
        for (Rejection rejection : result.rejections()) {
            named.add(new Rejection(rejection.document(), "sink '" + sink + "': " + rejection.reason()));
        }
        return named;
    }

    /** Holds the rejections of a flush that failed retriably for the one that succeeds; reports them with it. */
    private FlushResult settled(List<Rejection> rejections, RuntimeException retriable, RuntimeException fatal) {
        synchronized (unreported) {
            if (fatal != null) {
                throw fatal;
            }
            unreported.addAll(rejections);
            if (retriable != null) {
                throw retriable;
            }
            FlushResult result = FlushResult.rejecting(unreported);
            unreported.clear();
            return result;
        }
    }

    @Override
    public void caughtUp() {
        sinks.values().forEach(Sink::caughtUp);
    }

    /** {@return every sink's findings, each subject prefixed with the sink's name} */
    @Override
    public List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        sinks.forEach((name, sink) -> sink.check().forEach(finding -> findings.add(new Finding(finding.severity(),
                "sink '" + name + "', " + finding.subject(), finding.message(), finding.fix()))));
        return findings;
    }

    /** {@return each sink's status of the index, by sink name} */
    @Override
    public Map<String, Object> status(String index) {
        Map<String, Object> status = new LinkedHashMap<>();
        sinks.forEach((name, sink) -> status.put(name, sink.status(index)));
        return status;
    }

    /** {@return the dead letters of the first sink that keeps them} */
    @Override
    public List<Rejection> deadLetters(String index, int limit) {
        return keeper().deadLetters(index, limit);
    }

    @Override
    public void forgetDeadLetters(List<DocumentId> ids) {
        keeper().forgetDeadLetters(ids);
    }

    private Sink keeper() {
        return sinks.values().stream().filter(Sink::supportsDeadLetters).findFirst()
                .orElseThrow(() -> new UnsupportedOperationException("no sink of " + sinks.keySet() + " keeps dead letters"));
    }

    @Override
    public boolean supportsDeadLetters() {
        return sinks.values().stream().allMatch(Sink::supportsDeadLetters);
    }

    @Override
    public void deadLetter(List<Rejection> rejections) {
        sinks.values().forEach(sink -> sink.deadLetter(rejections));
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Sink sink : sinks.values()) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
