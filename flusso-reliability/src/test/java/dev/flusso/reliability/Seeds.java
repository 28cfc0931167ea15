package dev.flusso.reliability;

import java.util.concurrent.ThreadLocalRandom;

/** Seeds: {@code -Dflusso.seed=N} replays a run; otherwise each scenario draws its own and prints it. */
final class Seeds {

    private Seeds() {
    }

    static long seed() {
        String configured = System.getProperty("flusso.seed");
        if (configured != null && !configured.isBlank()) {
            return Long.parseLong(configured.trim());
        }
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
