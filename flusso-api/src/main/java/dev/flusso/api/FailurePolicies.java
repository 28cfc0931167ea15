package dev.flusso.api;

import java.util.Map;
import java.util.Objects;

/**
 * How the engine handles the two kinds of failure a batch meets.
 *
 * <ul>
 *   <li>An <em>item rejection</em> (one document cannot be built or the sink refuses it) is handled per item by a
 *       {@link RejectionPolicy}: {@code onRejection}, or the index's own entry in {@code perIndex}.
 *   <li>A <em>passing failure</em> (a {@link RetriableException} from a build or a flush: connection lost, server
 *       restarting) is tried again as {@code retry} says; once it gives up, the run fails, leaving the batch
 *       unconfirmed for the next run.
 * </ul>
 *
 * @param onRejection the default policy for item rejections, never {@code null}
 * @param perIndex policies for particular indexes, by logical name, never {@code null}
 * @param retry how passing failures are tried again, never {@code null}
 */
public record FailurePolicies(RejectionPolicy onRejection, Map<String, RejectionPolicy> perIndex, RetryPolicy retry) {

    /** Stop on a rejected item; ride out passing failures as {@link RetryPolicy#DEFAULT} does. */
    public static final FailurePolicies DEFAULT = new FailurePolicies(RejectionPolicy.STOP, Map.of(), RetryPolicy.DEFAULT);

    public FailurePolicies {
        Objects.requireNonNull(onRejection, "onRejection");
        perIndex = Map.copyOf(perIndex);
        Objects.requireNonNull(retry, "retry");
    }

    /** {@return the policy for rejected items of the given index} */
    public RejectionPolicy rejectionPolicy(String index) {
        return perIndex.getOrDefault(index, onRejection);
    }

    /** {@return a copy with a different default rejection policy} */
    public FailurePolicies withOnRejection(RejectionPolicy policy) {
        return new FailurePolicies(policy, perIndex, retry);
    }
}
