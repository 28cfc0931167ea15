package dev.flusso.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What the engine does with one document that cannot be built or that the sink refuses. */
public enum RejectionPolicy {
    /** Stop the run without acknowledging the batch: it is redelivered after the cause is fixed. */
    STOP("stop"),
    /** Log the document and its reason, count it, and go on. */
    SKIP("skip"),
    /** Hand the document and its reason to the sink's dead-letter destination, and go on. */
    DEAD_LETTER("dead_letter");

    private final String configName;

    RejectionPolicy(String configName) {
        this.configName = configName;
    }

    /** {@return the name used in {@code on_error} settings} */
    public String configName() {
        return configName;
    }

    /**
     * Reads an {@code on_error} value.
     *
     * @param name the configured name, never {@code null}
     * @return the policy
     * @throws ConfigurationException if no policy has that name; the message lists the names
     */
    public static RejectionPolicy fromConfigName(String name) {
        for (RejectionPolicy policy : values()) {
            if (policy.configName.equals(name)) {
                return policy;
            }
        }
        throw new ConfigurationException("on_error '" + name + "' is not a failure policy; expected one of "
                + Arrays.stream(values()).map(p -> "'" + p.configName + "'").collect(Collectors.joining(", ")));
    }
}
