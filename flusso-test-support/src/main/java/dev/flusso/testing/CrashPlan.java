package dev.flusso.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes the fakes crash at a chosen moment: every fake calls {@link #hit(String)} at each of its crash points, and
 * the plan throws {@link SimulatedCrash} at the n-th hit overall, or of one named point. One plan serves one run.
 */
public final class CrashPlan {

    private final long crashAt;
    private final String point;
    private final List<String> hits = new ArrayList<>();
    private long pointHits;
    private String crashedAt;

    private CrashPlan(long crashAt, String point) {
        this.crashAt = crashAt;
        this.point = point;
    }

    /** {@return a plan that never crashes} */
    public static CrashPlan never() {
        return new CrashPlan(Long.MAX_VALUE, null);
    }

    /** {@return a plan that crashes at the n-th crash point reached, counting from 1} */
    public static CrashPlan atHit(long n) {
        return new CrashPlan(n, null);
    }

    /** {@return a plan that crashes at the n-th time the named point is reached, counting from 1} */
    public static CrashPlan atPoint(String point, long n) {
        return new CrashPlan(n, point);
    }

    /**
     * Passes a crash point.
     *
     * @param point names the point, such as {@code sink.flush.after}
     * @throws SimulatedCrash if this is the planned moment
     */
    public synchronized void hit(String point) {
        hits.add(point);
        long count = this.point == null ? hits.size() : point.equals(this.point) ? ++pointHits : 0;
        if (count == crashAt) {
            crashedAt = point;
            throw new SimulatedCrash(point);
        }
    }

    /** {@return the point it crashed at, or null if it has not} */
    public synchronized String crashedAt() {
        return crashedAt;
    }

    /** {@return the crash points passed, in order} */
    public synchronized List<String> hits() {
        return List.copyOf(hits);
    }

    /** The crash a {@link CrashPlan} throws. */
    public static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String point) {
            super("simulated crash at " + point);
        }
    }
}
