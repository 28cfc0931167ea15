package dev.flusso.bench;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.core.Engine;
import dev.flusso.core.Providers;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.LockFile;
import dev.flusso.schema.MappingOptions;
import dev.flusso.schema.SinkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code flusso.toml} with one index and one OpenSearch sink, compiled into a lock file, and the engine made from
 * it as {@code flusso run} wires one: builder, capture, queue and sink found by name through {@link Providers},
 * each given its section as {@link Settings}, the sink given each index's mapping as derived with its section's
 * options. The only addition is a {@link CountingSink} around the sink, which is how the harness sees documents
 * become durable.
 */
final class BenchDeployment {

    private final Path lock;
    private final Deployment deployment;

    private BenchDeployment(Path lock, Deployment deployment) {
        this.lock = lock;
        this.deployment = deployment;
    }

    /**
     * @param dir a folder of its own for the files
     * @param databaseUrl {@code postgres://…} of the source database
     * @param openSearch the OpenSearch address
     * @param index the index name, which is also the schema file's stem
     * @param schema the index schema (YAML)
     * @param slot the replication slot (and publication) of this deployment
     * @param sinkExtra extra keys of the sink section, written as they are (TOML)
     */
    static BenchDeployment write(Path dir, String databaseUrl, URI openSearch, String index, String schema, String slot,
            String sinkExtra) {
        return write(dir, databaseUrl, openSearch, index, schema, slot, sinkExtra, "");
    }

    /**
     * As {@link #write(Path, String, URI, String, String, String, String)}, with a {@code [queue]} section.
     *
     * @param queue the {@code [queue]} section, header included, written as it is (TOML); empty for the channel
     */
    static BenchDeployment write(Path dir, String databaseUrl, URI openSearch, String index, String schema, String slot,
            String sinkExtra, String queue) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(index + ".schema.yml"), schema);
            Path toml = dir.resolve("flusso.toml");
            Files.writeString(toml, """
                    [source]
                    type = "postgres"
                    connection_url = "%s"
                    slot = "%s"
                    publication = "%s"

                    [sinks.search]
                    type = "opensearch"
                    url = "%s"
                    %s

                    %s

                    [[index]]
                    name = "%s"
                    schema = "%s.schema.yml"
                    """.formatted(databaseUrl, slot, slot, openSearch, sinkExtra, queue, index, index));
            Path lock = dir.resolve("flusso.lock");
            LockFile.write(Deployment.load(toml), lock);
            return new BenchDeployment(lock, LockFile.read(lock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the deployment into " + dir, e);
        }
    }

    /** {@return the deployment compiled earlier into {@code dir} by {@link #write}} */
    static BenchDeployment load(Path dir) {
        Path lock = dir.resolve("flusso.lock");
        return new BenchDeployment(lock, LockFile.read(lock));
    }

    /**
     * {@return the engine of this deployment and the counting sink it writes through}
     *
     * @param backfill whether unseeded indexes are backfilled first, as without {@code --skip-backfill}
     * @param trackIds whether the sink reports the ids of each flush (for latencies)
     */
    Wired engine(Providers providers, boolean backfill, boolean trackIds) {
        return engine(providers, backfill, trackIds, Engine.Role.ALL);
    }

    /**
     * As {@link #engine(Providers, boolean, boolean)}, for one role: a worker has no capture.
     *
     * @param role the process's role, as {@code flusso run --role}
     */
    Wired engine(Providers providers, boolean backfill, boolean trackIds, Engine.Role role) {
        Settings source = deployment.source();
        DocumentBuilder builder = providers.documentBuilder("postgres", context(Settings.of("source",
                Map.of("connection_url", source.asMap().get("connection_url"), "lock_file", lock.toAbsolutePath().toString()))));
        ChangeCapture capture = role == Engine.Role.WORKER ? null : capture(providers, builder.indexes());
        Map<String, Object> queueValues = new LinkedHashMap<>(deployment.queue().asMap());
        Object queueType = queueValues.remove("type");
        ChangeQueue queue = providers.queue(queueType == null ? "channel" : queueType.toString(),
                context(Settings.of(deployment.queue().section(), queueValues)));
        CountingSink counting = sink(providers, trackIds);
        Engine engine = Engine.builder()
                .capture(capture)
                .documentBuilder(builder)
                .queue(queue)
                .sink(counting)
                .batchPolicy(deployment.batch())
                .failurePolicies(deployment.failure())
                .backfill(backfill)
                .role(role)
                .build();
        return new Wired(engine, counting);
    }

    /** An engine and the sink through which the harness sees its documents become durable. */
    record Wired(Engine engine, CountingSink sink) {
    }

    /** {@return the {@code wal} capture of this deployment, on its own: for capture-only rates} */
    ChangeCapture capture(Providers providers, List<IndexDefinition> indexes) {
        Map<String, Object> values = new LinkedHashMap<>(deployment.source().asMap());
        values.remove("type");
        values.remove("capture");
        return providers.capture("wal", context(Settings.of("source", values)), indexes);
    }

    /** {@return the index definitions as the capture and the sink receive them} */
    List<IndexDefinition> indexes() {
        return deployment.enabledIndexes().stream().map(CompiledIndex::toDefinition).toList();
    }

    /** {@return the sink with each index's mapping derived with the sink section's options, as flusso run does} */
    private CountingSink sink(Providers providers, boolean trackIds) {
        SinkConfig config = deployment.sinks().values().iterator().next();
        MappingOptions options = MappingOptions.of(config.settings());
        Map<String, IndexDefinition> definitions = new LinkedHashMap<>();
        for (CompiledIndex index : deployment.enabledIndexes()) {
            definitions.put(index.name(), index.toDefinition(options));
        }
        Sink sink = providers.sink(config.type(), context(config.settings()));
        return new CountingSink(sink, definitions, trackIds);
    }

    private static ProviderContext context(Settings settings) {
        return ProviderContext.of(settings);
    }
}
