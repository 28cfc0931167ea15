package dev.flusso.core.internal;

import dev.flusso.api.ChangeQueue;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.QueueProvider;
import dev.flusso.api.spi.Settings;
import java.util.Set;

/** The in-process queue, {@code channel}: the default. Setting: {@code capacity} (changes, default 10,000). */
public final class ChannelQueueProvider implements QueueProvider {

    /** Default capacity: enough to keep a worker busy, small enough to bound memory. */
    public static final int DEFAULT_CAPACITY = 10_000;

    @Override
    public String name() {
        return "channel";
    }

    @Override
    public String description() {
        return "in-process bounded channel; confirms source positions after each flush";
    }

    @Override
    public ChangeQueue create(ProviderContext context) {
        Settings settings = context.settings();
        settings.rejectUnknownKeys(Set.of("capacity"));
        int capacity = settings.integer("capacity", DEFAULT_CAPACITY);
        if (capacity < 1) {
            throw new ConfigurationException("[" + settings.section() + "] key 'capacity' must be at least 1");
        }
        return new ChannelQueue(capacity);
    }
}
