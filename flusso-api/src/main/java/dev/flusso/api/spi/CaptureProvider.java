package dev.flusso.api.spi;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.IndexDefinition;
import java.util.List;

/** Makes a {@link ChangeCapture}. Declared with {@code provides dev.flusso.api.spi.CaptureProvider with …}. */
public interface CaptureProvider extends FlussoProvider {

    /**
     * Makes the capture. Must not connect yet: that happens in {@link ChangeCapture#open()}.
     *
     * @param context its configuration section and services, never {@code null}
     * @param indexes the indexes it captures for: their tables are the ones to stream, never {@code null}
     * @return the capture
     * @throws dev.flusso.api.ConfigurationException if the settings are wrong
     */
    ChangeCapture create(ProviderContext context, List<IndexDefinition> indexes);
}
