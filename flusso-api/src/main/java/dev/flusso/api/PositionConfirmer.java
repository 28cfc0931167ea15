package dev.flusso.api;

/**
 * What a queue calls once the source may forget every change up to a position: the engine routes it to
 * {@link ChangeCapture#confirm(Position)}.
 */
@FunctionalInterface
public interface PositionConfirmer {

    /**
     * @param upTo the newest position whose change and all changes before it are safe, never {@code null}
     */
    void confirm(Position upTo);
}
