/**
 * Flusso's public API: what a plugin author compiles against.
 *
 * <p>{@link dev.flusso.api} holds the four edges of the sync loop ({@link dev.flusso.api.ChangeCapture},
 * {@link dev.flusso.api.ChangeQueue}, {@link dev.flusso.api.DocumentBuilder}, {@link dev.flusso.api.Sink}) and the
 * values they exchange. {@link dev.flusso.api.spi} holds the providers the engine finds with
 * {@link java.util.ServiceLoader}: a backend module declares, for example,
 * {@code provides dev.flusso.api.spi.SinkProvider with com.example.MySinkProvider;}.
 *
 * <p>This module depends on nothing but {@code java.base}.
 */
module dev.flusso.api {
    exports dev.flusso.api;
    exports dev.flusso.api.spi;
}
