package dev.flusso.source.wal;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.spi.CaptureProvider;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.source.wal.internal.WalCapture;
import dev.flusso.source.wal.internal.WalSettings;
import java.util.List;

/**
 * Provides the {@code wal} capture: PostgreSQL logical replication with pgoutput. Reads the {@code [source]}
 * section (see the module's README for its keys); connects only when the capture opens.
 */
public final class WalCaptureProvider implements CaptureProvider {

    @Override
    public String name() {
        return "wal";
    }

    @Override
    public String description() {
        return "PostgreSQL logical replication (pgoutput), with its slot and publication managed";
    }

    @Override
    public ChangeCapture create(ProviderContext context, List<IndexDefinition> indexes) {
        return new WalCapture(WalSettings.from(context.settings()), indexes, context.observer(), context.retry());
    }
}
