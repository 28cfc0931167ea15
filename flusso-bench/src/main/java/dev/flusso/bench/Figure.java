package dev.flusso.bench;

/**
 * One line of the results: Flusso's figure beside its limit or peer.
 *
 * @param workload such as {@code 1 backfill flat}
 * @param metric what is measured, with its unit, and what the reference is
 * @param flusso Flusso's figure
 * @param reference the limit's or peer's figure, or {@code null} when there is none
 * @param ratio flusso / reference, oriented so that higher is better, or {@code null}
 * @param target the ratio aimed at, or {@code null}
 */
public record Figure(String workload, String metric, Double flusso, Double reference, Double ratio, Double target) {

    /** {@return a figure whose ratio is flusso / reference: for rates, where more is better} */
    static Figure rate(String workload, String metric, double flusso, double reference, Double target) {
        return new Figure(workload, metric, flusso, reference, reference > 0 ? flusso / reference : null, target);
    }

    /** {@return a figure whose ratio is reference / flusso: for times, where less is better} */
    static Figure time(String workload, String metric, double flusso, Double reference, Double target) {
        Double ratio = reference == null || flusso <= 0 ? null : reference / flusso;
        return new Figure(workload, metric, flusso, reference, ratio, target);
    }

    /** {@return a figure with no reference: memory, counts} */
    static Figure alone(String workload, String metric, double flusso) {
        return new Figure(workload, metric, flusso, null, null, null);
    }

    /** {@return whether a target is set and the ratio misses it} */
    boolean missesTarget() {
        return target != null && (ratio == null || ratio < target);
    }
}
