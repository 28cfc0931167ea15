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
import dev.flusso.core.Providers;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.MappingOptions;
import dev.flusso.schema.SinkConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The edges a deployment names, made from the providers found: what {@code run} starts and {@code check} inspects. */
final class Wiring {

    private final Deployment deployment;
    private final Providers providers;
    private final Observer observer;
    private final Settings source;

    /**
     * @param sourceOverrides command-line values for {@code [source]} keys ({@code slot}, {@code publication}, …);
     *     {@code null} values are ignored
     */
    Wiring(Deployment deployment, Providers providers, Observer observer, Map<String, Object> sourceOverrides) {
        this.deployment = deployment;
        this.providers = providers;
        this.observer = observer;
        this.source = SourceSection.normalise(deployment.source(), sourceOverrides);
    }

    /** {@return the capture's provider name: the flag, else {@code [source] capture}, else {@code wal}} */
    String captureName(String flag) {
        return flag != null ? flag : source.string("capture", "wal");
    }

    /**
     * {@return the document builder of {@code [source] type}}
     *
     * @param fileKey {@code lock_file} or {@code deployment}: how the builder finds the indexes
     * @param file that file
     */
    DocumentBuilder builder(String fileKey, Path file) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("connection_url", source.asMap().get("connection_url"));
        // The builder's connections take the same TLS settings as the capture's.
        for (String key : List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword")) {
            source.string(key).ifPresent(value -> values.put(key, value));
        }
        values.put(fileKey, file.toAbsolutePath().toString());
        Settings settings = Settings.of("source", values);
        return providers.documentBuilder(source.string("type", "postgres"), context(settings));
    }

    /** {@return the capture, configured by {@code [source]} without the keys that chose it} */
    ChangeCapture capture(String name, List<IndexDefinition> indexes) {
        Map<String, Object> values = new LinkedHashMap<>(source.asMap());
        values.remove("type");
        values.remove("capture");
        Map<String, Object> polling = deployment.polling().asMap();
        if (!polling.isEmpty()) {
            if (!name.equals("polling")) {
                throw new ConfigurationException("[polling] configures the polling capture, but this run captures with '"
                        + name + "': remove the section, or choose capture = \"polling\" in [source] (or --capture polling)");
            }
            // The polling capture's keys may live in their own section; one key set in both places is ambiguous.
            for (Map.Entry<String, Object> entry : polling.entrySet()) {
                if (values.containsKey(entry.getKey())) {
                    throw new ConfigurationException("key '" + entry.getKey() + "' is set in both [source] and [polling]: "
                            + "keep one");
                }
                values.put(entry.getKey(), entry.getValue());
            }
        }
        return providers.capture(name, context(Settings.of("source", values)), indexes);
    }

    /** {@return the queue's provider name, from {@code [queue] type}} */
    String queueName() {
        return (String) deployment.queue().asMap().getOrDefault("type", "channel");
    }

    /** {@return the queue of {@code [queue]}, with the capacity flag applied} */
    ChangeQueue queue(Integer capacity) {
        Map<String, Object> values = new LinkedHashMap<>(deployment.queue().asMap());
        values.remove("type");
        if (capacity != null) {
            values.put("capacity", capacity);
        }
        return providers.queue(queueName(), context(Settings.of(deployment.queue().section(), values)));
    }

    /**
     * {@return each sink by name, each with the mappings its own options derive; a deployment without sinks writes
     * to standard output}
     */
    Map<String, Sink> sinks() {
        Map<String, Sink> sinks = new LinkedHashMap<>();
        if (deployment.sinks().isEmpty()) {
            sinks.put("stdout", providers.sink("stdout", context(Settings.empty("sinks.stdout"))));
            return sinks;
        }
        for (SinkConfig config : deployment.sinks().values()) {
            MappingOptions options = MappingOptions.of(config.settings());
            Map<String, IndexDefinition> definitions = new LinkedHashMap<>();
            for (CompiledIndex index : deployment.enabledIndexes()) {
                definitions.put(index.name(), index.toDefinition(options));
            }
            Sink sink = providers.sink(config.type(), context(withPrefix(config.settings(), deployment.prefix())));
            sinks.put(config.name(), new SinkWithOwnMappings(sink, definitions));
        }
        return sinks;
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

    private ProviderContext context(Settings settings) {
        return new ProviderContext(settings, observer, Clock.systemUTC(), deployment.failure().retry().timeBoundOnly());
    }
}
