package dev.flusso.source.polling;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.spi.CaptureProvider;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.source.polling.internal.PollingCapture;
import dev.flusso.source.polling.internal.PollingSettings;
import java.util.List;

/**
 * Provides the {@code polling} capture: change capture by polling PostgreSQL tables with transaction-snapshot
 * cursors, for databases where logical replication is not allowed. Reads the {@code [source]} section (see the
 * module's README for its keys); connects only when the capture opens.
 */
public final class PollingCaptureProvider implements CaptureProvider {

    @Override
    public String name() {
        return "polling";
    }

    @Override
    public String description() {
        return "polls PostgreSQL tables by transaction snapshot; needs only SELECT (with a local state file)";
    }

    @Override
    public ChangeCapture create(ProviderContext context, List<IndexDefinition> indexes) {
        return new PollingCapture(PollingSettings.from(context.settings()), indexes, context.observer(), context.retry());
    }
}
