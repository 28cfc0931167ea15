package dev.flusso.api;

/**
 * A failure that may pass if the same call is made again later: a connection refused, a timeout, a server that
 * answered "too busy". The engine retries such failures according to its {@link FailurePolicies}; any other
 * {@link FlussoException} fails the run at once.
 */
public class RetriableException extends FlussoException {
    private static final long serialVersionUID = 1L;

    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
