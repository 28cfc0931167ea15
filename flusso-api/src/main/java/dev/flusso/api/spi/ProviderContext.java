package dev.flusso.api.spi;

import dev.flusso.api.Observer;
import dev.flusso.api.RetryPolicy;
import java.time.Clock;
import java.util.Objects;

/**
 * What a provider may use to make its edge: its own configuration section, the run's observer, a clock and the
 * run's retry policy. Never the engine itself.
 *
 * @param settings the provider's configuration section, never {@code null}
 * @param observer the run's observer, for progress an edge reports itself, never {@code null}
 * @param clock the run's clock, never {@code null}
 * @param retry how long and how often an edge that retries by itself (a capture reconnecting) tries again, as the
 *     engine does for builds and flushes ({@code [failure]}), never {@code null}
 */
public record ProviderContext(Settings settings, Observer observer, Clock clock, RetryPolicy retry) {

    public ProviderContext {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(retry, "retry");
    }

    /** A context with the default retry policy. */
    public ProviderContext(Settings settings, Observer observer, Clock clock) {
        this(settings, observer, clock, RetryPolicy.DEFAULT);
    }

    /** {@return a context with the given settings, no observer and the system clock} */
    public static ProviderContext of(Settings settings) {
        return new ProviderContext(settings, Observer.NONE, Clock.systemUTC());
    }
}
