package dev.flusso.api.spi;

import dev.flusso.api.Sink;

/**
 * Makes a {@link Sink}. Declared with {@code provides dev.flusso.api.spi.SinkProvider with …}; a sink module should
 * also ship {@code META-INF/services/dev.flusso.api.spi.SinkProvider} so its jar works on a class path too.
 */
public interface SinkProvider extends FlussoProvider {

    /**
     * Makes the sink. Must not connect yet: that happens in {@link Sink#ensureIndex}.
     *
     * @param context its configuration section ({@code [sinks.<name>]}) and services, never {@code null}
     * @return the sink
     * @throws dev.flusso.api.ConfigurationException if the settings are wrong
     */
    Sink create(ProviderContext context);
}
