package dev.flusso.api;

/**
 * The capture gave up its place on purpose so that the next run rebuilds every index, and the run ends: for
 * instance after a root table was truncated, whose documents no change can name. Nothing after that point was
 * confirmed. A supervisor (the {@code flusso} command, or the embedder) starts the run again at once; the new run's
 * capture cannot resume, so the engine rebuilds every index from a full backfill.
 */
public class RestartRequiredException extends FlussoException {
    private static final long serialVersionUID = 1L;

    public RestartRequiredException(String message, Throwable cause) {
        super(message, cause);
    }
}
