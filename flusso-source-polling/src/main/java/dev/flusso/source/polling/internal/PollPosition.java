package dev.flusso.source.polling.internal;

import dev.flusso.api.Position;

/**
 * Where a polled change stands: its poll round (numbered from 0 in each run) and its ordinal among the changes that
 * round emitted. Confirming a position confirms every change before it; a round is done when its last change is.
 *
 * @param round the round
 * @param ordinal the change's index among the round's changes, from 0
 */
public record PollPosition(long round, long ordinal) implements Position, Comparable<PollPosition> {

    @Override
    public int compareTo(PollPosition other) {
        int byRound = Long.compare(round, other.round);
        return byRound != 0 ? byRound : Long.compare(ordinal, other.ordinal);
    }

    @Override
    public String toString() {
        return "round " + round + " #" + ordinal;
    }
}
