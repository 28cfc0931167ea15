package dev.flusso.source.polling.internal;

import dev.flusso.api.TableRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The poll rounds whose changes are not all confirmed yet. A round's cursors may be stored once every change it
 * emitted is confirmed and every earlier round is done: so the stored position never passes an unconfirmed change,
 * and a restart re-polls from it. A round that emitted nothing is done as soon as the rounds before it are.
 * Thread-safe: the capture thread begins and finishes rounds, the worker confirms.
 */
final class Rounds {

    /**
     * What the done rounds leave to store: the newest cursors, the ids whose deletions are now durable, and whether
     * any of them emitted a change.
     */
    record Done(Map<TableRef, TableCursor> cursors, Map<String, List<String>> deletedIds, boolean emitted) {

        /** {@return this and a later {@code Done} together} */
        Done and(Done later) {
            Map<String, List<String>> ids = new LinkedHashMap<>();
            deletedIds.forEach((index, list) -> ids.computeIfAbsent(index, k -> new ArrayList<>()).addAll(list));
            later.deletedIds.forEach((index, list) -> ids.computeIfAbsent(index, k -> new ArrayList<>()).addAll(list));
            return new Done(later.cursors, ids, emitted || later.emitted);
        }
    }

    private static final class Round {
        final long number;
        long emitted;
        boolean finished;
        Map<TableRef, TableCursor> after;
        Map<String, List<String>> deletedIds = Map.of();

        Round(long number) {
            this.number = number;
        }
    }

    private final ArrayDeque<Round> pending = new ArrayDeque<>();
    private long next;
    private PollPosition confirmed;

    /** {@return the number of a new round, which emits its changes next} */
    synchronized long begin() {
        Round round = new Round(next++);
        pending.addLast(round);
        return round.number;
    }

    /** {@return the position of the next change the newest round emits} */
    synchronized PollPosition nextPosition() {
        Round round = pending.peekLast();
        return new PollPosition(round.number, round.emitted++);
    }

    /**
     * Ends the newest round.
     *
     * @param after the cursors to store once it is done: the new ones when it completed, the old ones when it was
     *     cut short (its changes may be confirmed, but the rows it did not reach were never emitted)
     * @param deletedIds per index, the document ids whose deletions it emitted
     */
    synchronized void finish(Map<TableRef, TableCursor> after, Map<String, List<String>> deletedIds) {
        Round round = pending.peekLast();
        round.after = Map.copyOf(after);
        round.deletedIds = deletedIds;
        round.finished = true;
    }

    synchronized void confirm(PollPosition upTo) {
        if (confirmed == null || upTo.compareTo(confirmed) > 0) {
            confirmed = upTo;
        }
    }

    /** {@return what the rounds done since the last call leave to store, or null when none is done} */
    synchronized Done takeDone() {
        Map<TableRef, TableCursor> cursors = null;
        Map<String, List<String>> deleted = new LinkedHashMap<>();
        boolean emitted = false;
        while (!pending.isEmpty()) {
            Round round = pending.peekFirst();
            boolean done = round.finished && (round.emitted == 0
                    || confirmed != null && confirmed.compareTo(new PollPosition(round.number, round.emitted - 1)) >= 0);
            if (!done) {
                break;
            }
            pending.removeFirst();
            cursors = round.after;
            emitted |= round.emitted > 0;
            round.deletedIds.forEach((index, ids) -> deleted.computeIfAbsent(index, k -> new ArrayList<>()).addAll(ids));
        }
        return cursors == null ? null : new Done(cursors, deleted, emitted);
    }
}
