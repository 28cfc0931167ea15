package dev.flusso.cli;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.core.Engine;
import dev.flusso.core.FanOutSink;
import dev.flusso.core.Providers;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.LockFile;
import dev.flusso.schema.MappingOptions;
import dev.flusso.schema.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flusso run}: mapping first, backfill of unseeded indexes, then live sync until stopped. Which files it
 * reads follows the original flusso exactly, so its users' scripts keep working.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Ensures the mappings, backfills unseeded indexes, then syncs live changes until stopped.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, defaultValue = "${env:FLUSSO_CONFIG}",
            description = "The deployment file to compile (env FLUSSO_CONFIG; ./flusso.toml when it exists).")
    Path config;

    @Option(names = "--lock", defaultValue = "${env:FLUSSO_LOCK:-flusso.lock}",
            description = "The lock file to write after compiling, or to run (env FLUSSO_LOCK; default ${DEFAULT-VALUE}).")
    Path lock;

    @Option(names = "--locked", defaultValue = "${env:FLUSSO_LOCKED:-false}",
            description = "Run the lock file as it is: no compiling, no rewriting (env FLUSSO_LOCKED).")
    boolean locked;

    @Option(names = "--skip-backfill", defaultValue = "${env:FLUSSO_SKIP_BACKFILL:-false}",
            description = "Live changes only: backfill no index (env FLUSSO_SKIP_BACKFILL).")
    boolean skipBackfill;

    @Option(names = "--slot", defaultValue = "${env:FLUSSO_SLOT}", description = "Replication slot (env FLUSSO_SLOT; default flusso).")
    String slot;

    @Option(names = "--publication", defaultValue = "${env:FLUSSO_PUBLICATION}",
            description = "Publication (env FLUSSO_PUBLICATION; default flusso).")
    String publication;

    @Option(names = "--manage-publication", arity = "1", defaultValue = "${env:FLUSSO_MANAGE_PUBLICATION}",
            description = "Whether Flusso may create and extend the publication (env FLUSSO_MANAGE_PUBLICATION; default from [source], then true).")
    Boolean managePublication;

    @Option(names = "--capture", defaultValue = "${env:FLUSSO_CAPTURE}",
            description = "How changes are captured: wal or polling (env FLUSSO_CAPTURE; default from [source] capture, then wal).")
    String capture;

    @Option(names = "--queue-capacity", defaultValue = "${env:FLUSSO_QUEUE_CAPACITY}",
            description = "Changes the queue holds between capture and worker (env FLUSSO_QUEUE_CAPACITY; default from [queue], then 10000).")
    Integer queueCapacity;

    @Override
    public Integer call() {
        Deployment deployment = resolveDeployment();
        runUntilStopped(engine(deployment, Plugins.providers(), Observer.NONE));
        return 0;
    }

    /** Runs the engine until it ends or is stopped; SIGTERM and Ctrl-C stop it cleanly. */
    static void runUntilStopped(Engine engine) {
        Thread stopper = new Thread(engine::stop, "flusso-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            engine.run();
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            String edge = engine.failedEdge().orElse(null);
            throw edge == null ? e : new Flusso.EdgeFailure(edge, e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // the JVM is stopping: the hook asked for this clean stop
            }
        }
    }

    /** The original's rules: --locked runs the lock; else compile the config (explicit, or ./flusso.toml) into it. */
    Deployment resolveDeployment() {
        if (locked) {
            return readLock();
        }
        Path source = config;
        if (source == null && Files.isRegularFile(Path.of("flusso.toml"))) {
            source = Path.of("flusso.toml");
        }
        if (source == null) {
            return readLock();
        }
        if (!Files.isRegularFile(source)) {
            throw new ConfigurationException("config file " + source + " not found");
        }
        Deployment deployment = Deployment.load(source);
        LockFile.write(deployment, lock);
        return LockFile.read(lock);
    }

    private Deployment readLock() {
        if (!Files.isRegularFile(lock)) {
            throw new ConfigurationException("no flusso.toml to compile and no compiled lock at " + lock
                    + "; create a config or build a lock first (flusso build -c flusso.toml)");
        }
        return LockFile.read(lock);
    }

    Engine engine(Deployment deployment, Providers providers, Observer observer) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("slot", slot);
        overrides.put("publication", publication);
        overrides.put("manage_publication", managePublication);
        Settings source = SourceSection.normalise(deployment.source(), overrides);
        String sourceType = source.string("type", "postgres");
        String captureName = capture != null ? capture : source.string("capture", "wal");

        Settings builderSettings = Settings.of("source", Map.of("connection_url", source.asMap().get("connection_url"),
                "lock_file", lock.toAbsolutePath().toString()));
        DocumentBuilder builder = providers.documentBuilder(sourceType, context(builderSettings));
        List<IndexDefinition> indexes = builder.indexes();
        Map<String, Object> captureValues = new LinkedHashMap<>(source.asMap());
        captureValues.remove("type");
        captureValues.remove("capture");
        ChangeCapture changes = providers.capture(captureName, context(Settings.of("source", captureValues)), indexes);

        Settings queueSettings = deployment.queue();
        Map<String, Object> queueValues = new LinkedHashMap<>(queueSettings.asMap());
        String queueType = (String) queueValues.getOrDefault("type", "channel");
        queueValues.remove("type");
        if (queueCapacity != null) {
            queueValues.put("capacity", queueCapacity);
        }
        ChangeQueue queue = providers.queue(queueType, context(Settings.of(queueSettings.section(), queueValues)));

        LOG.info("indexes: {}; capture {}, queue {}, sinks {}", indexes.stream().map(IndexDefinition::name).toList(),
                captureName, queueType, deployment.sinks().keySet());
        return Engine.builder()
                .capture(changes)
                .documentBuilder(builder)
                .queue(queue)
                .sink(sinks(deployment, providers))
                .batchPolicy(deployment.batch())
                .failurePolicies(deployment.failure())
                .backfill(!skipBackfill)
                .observer(observer)
                .build();
    }

    private static Sink sinks(Deployment deployment, Providers providers) {
        if (deployment.sinks().isEmpty()) {
            return providers.sink("stdout", context(Settings.empty("sinks.stdout")));
        }
        Map<String, Sink> sinks = new LinkedHashMap<>();
        for (SinkConfig config : deployment.sinks().values()) {
            MappingOptions options = MappingOptions.of(config.settings());
            Map<String, IndexDefinition> definitions = new LinkedHashMap<>();
            for (CompiledIndex index : deployment.enabledIndexes()) {
                definitions.put(index.name(), index.toDefinition(options));
            }
            Sink sink = providers.sink(config.type(), context(withPrefix(config.settings(), deployment.prefix())));
            sinks.put(config.name(), new SinkWithOwnMappings(sink, definitions));
        }
        return FanOutSink.of(sinks);
    }

    /** The deployment's prefix names every index in every sink, so each sink's section carries it. */
    private static Settings withPrefix(Settings settings, String prefix) {
        if (prefix.isEmpty()) {
            return settings;
        }
        Map<String, Object> values = new LinkedHashMap<>(settings.asMap());
        values.put("prefix", prefix);
        return Settings.of(settings.section(), values);
    }

    private static ProviderContext context(Settings settings) {
        return ProviderContext.of(settings);
    }
}
