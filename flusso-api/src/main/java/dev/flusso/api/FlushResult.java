package dev.flusso.api;

import java.util.List;

/**
 * What a successful flush did: every buffered write is durable except the rejected items listed. A flush that
 * could not complete throws instead (see {@link Sink#flush()}).
 *
 * @param rejections the items the destination refused for their content, never {@code null}
 */
public record FlushResult(List<Rejection> rejections) {

    private static final FlushResult CLEAN = new FlushResult(List.of());

    public FlushResult {
        rejections = List.copyOf(rejections);
    }

    /** {@return a flush that persisted everything} */
    public static FlushResult clean() {
        return CLEAN;
    }

    public static FlushResult rejecting(List<Rejection> rejections) {
        return rejections.isEmpty() ? CLEAN : new FlushResult(rejections);
    }
}
