package dev.flusso.source.polling.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves what the done rounds leave: their cursors to the state store, then the deletions the sweep may forget, then
 * prunes the deletions table. Rounds that emitted changes are saved at once; rounds of an idle source at most every
 * {@link #IDLE_SAVE_INTERVAL}, since re-polling an idle window after a restart emits nothing. Called from the capture
 * thread, and from {@code close()}; one call at a time.
 */
final class ConfirmedState {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmedState.class);
    /** How often the cursors of rounds that emitted nothing are saved at most. */
    static final Duration IDLE_SAVE_INTERVAL = Duration.ofSeconds(10);

    private final Rounds rounds;
    private final StateStore store;
    private final KnownIds known;
    private final DeletionsTable deletions;
    private final Supplier<Connection> connection;
    private final BooleanSupplier closed;
    private Rounds.Done unsaved;
    private long lastSave = System.nanoTime();
    private boolean pruneWarned;

    /**
     * @param known the sweep's ids, or null without a sweep
     * @param deletions the deletions table, or null without one
     * @param connection the capture's connection, for pruning
     * @param closed whether the capture is closed (then nothing is pruned)
     */
    ConfirmedState(Rounds rounds, StateStore store, KnownIds known, DeletionsTable deletions, Supplier<Connection> connection,
            BooleanSupplier closed) {
        this.rounds = rounds;
        this.store = store;
        this.known = known;
        this.deletions = deletions;
        this.connection = connection;
        this.closed = closed;
    }

    /** Saves the done rounds' cursors when due, or in any case when {@code force}. */
    synchronized void save(boolean force) {
        Rounds.Done done = rounds.takeDone();
        if (done != null) {
            unsaved = unsaved == null ? done : unsaved.and(done);
        }
        if (unsaved == null || !force && !unsaved.emitted() && System.nanoTime() - lastSave < IDLE_SAVE_INTERVAL.toNanos()) {
            return;
        }
        store.save(unsaved.cursors());
        lastSave = System.nanoTime();
        Rounds.Done saved = unsaved;
        unsaved = null;
        if (known != null && !saved.deletedIds().isEmpty()) {
            known.remove(saved.deletedIds());
        }
        if (deletions != null && !closed.getAsBoolean()) {
            prune(saved.cursors().get(deletions.table()).snapshot());
        }
    }

    private void prune(XidSnapshot confirmed) {
        try {
            deletions.prune(connection.get(), confirmed);
        } catch (SQLException | RuntimeException e) {
            // Rows kept are never polled again (the cursor has passed them): pruning can wait for the next save.
            if (!closed.getAsBoolean() && !pruneWarned) {
                LOG.warn("pruning the deletions table '{}' failed (retried at every save, logged once): {}",
                        deletions.table(), e.getMessage());
                pruneWarned = true;
            }
        }
    }
}
