package dev.flusso.api.spi;

import dev.flusso.api.Observer;
import java.time.Clock;
import java.util.Objects;

/**
 * What a provider may use to make its edge: its own configuration section, the run's observer and a clock. Never
 * the engine itself.
 *
 * @param settings the provider's configuration section, never {@code null}
 * @param observer the run's observer, for progress an edge reports itself, never {@code null}
 * @param clock the run's clock, never {@code null}
 */
public record ProviderContext(Settings settings, Observer observer, Clock clock) {

    public ProviderContext {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(clock, "clock");
    }

    /** {@return a context with the given settings, no observer and the system clock} */
    public static ProviderContext of(Settings settings) {
        return new ProviderContext(settings, Observer.NONE, Clock.systemUTC());
    }
}
