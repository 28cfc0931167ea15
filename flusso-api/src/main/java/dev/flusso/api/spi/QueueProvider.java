package dev.flusso.api.spi;

import dev.flusso.api.ChangeQueue;

/** Makes a {@link ChangeQueue}. Declared with {@code provides dev.flusso.api.spi.QueueProvider with …}. */
public interface QueueProvider extends FlussoProvider {

    /**
     * Makes the queue. Must not connect yet: that happens in {@link ChangeQueue#open}.
     *
     * @param context its configuration section and services, never {@code null}
     * @return the queue
     * @throws dev.flusso.api.ConfigurationException if the settings are wrong
     */
    ChangeQueue create(ProviderContext context);
}
