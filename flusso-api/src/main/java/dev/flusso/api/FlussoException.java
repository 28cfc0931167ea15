package dev.flusso.api;

/**
 * The root of every exception Flusso throws. Unchecked: the engine decides what a failure means for the run.
 *
 * <p>Messages quote the thing at fault ({@code table 'public.orders', column 'total'}) and say what was expected.
 */
public class FlussoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlussoException(String message) {
        super(message);
    }

    public FlussoException(String message, Throwable cause) {
        super(message, cause);
    }
}
