package dev.flusso.queue.kafka.internal;

import dev.flusso.api.FlussoException;

/** A record whose bytes are not a change this version can read. */
public final class UnreadableRecordException extends FlussoException {
    private static final long serialVersionUID = 1L;

    public UnreadableRecordException(String message) {
        super(message);
    }
}
