package dev.flusso.api.spi;

import dev.flusso.api.DocumentBuilder;

/** Makes a {@link DocumentBuilder}. Declared with {@code provides dev.flusso.api.spi.BuilderProvider with …}. */
public interface BuilderProvider extends FlussoProvider {

    /**
     * Makes the builder.
     *
     * @param context its configuration section and services, never {@code null}
     * @return the builder
     * @throws dev.flusso.api.ConfigurationException if the settings are wrong
     */
    DocumentBuilder create(ProviderContext context);
}
