/**
 * The Flusso engine.
 *
 * <p>{@link dev.flusso.core.Engine} runs the sync loop over four edges; {@link dev.flusso.core.Providers} finds the
 * edges' providers with {@link java.util.ServiceLoader}, on the module path, in a plugin layer, or on a class path.
 * This module also provides the in-process queue, named {@code channel}.
 */
module dev.flusso.core {
    requires transitive dev.flusso.api;
    requires org.slf4j;

    exports dev.flusso.core;

    uses dev.flusso.api.spi.CaptureProvider;
    uses dev.flusso.api.spi.QueueProvider;
    uses dev.flusso.api.spi.BuilderProvider;
    uses dev.flusso.api.spi.SinkProvider;

    provides dev.flusso.api.spi.QueueProvider with dev.flusso.core.internal.ChannelQueueProvider;
}
