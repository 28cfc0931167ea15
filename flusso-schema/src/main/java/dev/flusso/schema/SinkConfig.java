package dev.flusso.schema;

import dev.flusso.api.spi.Settings;
import java.util.Objects;

/**
 * One {@code [sinks.<name>]} section.
 *
 * @param name the sink's name (trimmed and lowercased)
 * @param type the sink provider's name, such as {@code opensearch} or {@code stdout}
 * @param settings the whole section, {@code type} included; reserved-variable overrides are already applied as
 *     {@code { env = … }} references, which are resolved only when read
 */
public record SinkConfig(String name, String type, Settings settings) {
    public SinkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(settings, "settings");
    }
}
