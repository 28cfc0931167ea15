package dev.flusso.postgres;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.spi.BuilderProvider;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.LockFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code postgres} builder. Its settings section holds {@code connection_url} (see
 * {@link PostgresConnections#dataSource}) and where the indexes are: {@code lock_file} (a {@code flusso.lock}) or
 * {@code deployment} (a {@code flusso.toml}); the enabled indexes of that deployment are built. Code that has the
 * compiled indexes already (the CLI) constructs {@link PostgresDocumentBuilder} directly.
 */
public final class PostgresBuilderProvider implements BuilderProvider {

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String description() {
        return "builds documents from PostgreSQL rows, every schema feature in SQL";
    }

    @Override
    public DocumentBuilder create(ProviderContext context) {
        Settings settings = context.settings();
        Set<String> keys = new HashSet<>(ConnectionTarget.TLS_KEYS);
        keys.addAll(Set.of("connection_url", "lock_file", "deployment"));
        settings.rejectUnknownKeys(keys);
        ConnectionTarget target = ConnectionTarget.from(settings);
        Deployment deployment;
        if (settings.has("lock_file") == settings.has("deployment")) {
            throw new ConfigurationException("[" + settings.section() + "]: expected exactly one of 'lock_file' and"
                    + " 'deployment', the file that names the indexes to build");
        } else if (settings.has("lock_file")) {
            deployment = LockFile.read(Path.of(settings.requireString("lock_file")));
        } else {
            deployment = Deployment.load(Path.of(settings.requireString("deployment")));
        }
        return new PostgresDocumentBuilder(PostgresConnections.dataSource(target), deployment.enabledIndexes());
    }
}
