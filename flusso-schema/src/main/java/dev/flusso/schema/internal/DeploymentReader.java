package dev.flusso.schema.internal;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.RetryPolicy;
import dev.flusso.api.spi.Settings;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.SinkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Reads and validates a deployment file's tree, then reads the schema of each index it names. */
public final class DeploymentReader {

    /** Finds the schema of one {@code [[index]]} entry: from a file next to the toml, or from a lock file. */
    public interface SchemaSource {
        /** {@return the schema, or {@code null} after recording its problems} */
        IndexSchema schema(String index, String schemaFile, Node.Location at, Problems problems);
    }

    private static final Set<String> TOP_LEVEL = Set.of("source", "sinks", "index", "on_error", "prefix", "server",
            "queue", "batch", "failure", "polling");
    private static final Set<String> INDEX_KEYS = Set.of("name", "schema", "enabled", "on_error");

    private final Reading reading;
    private final Problems problems;
    private final UnaryOperator<String> environment;

    private DeploymentReader(String file, Problems problems, UnaryOperator<String> environment) {
        this.reading = new Reading(file, problems);
        this.problems = problems;
        this.environment = environment;
    }

    public static Deployment load(Path toml, UnaryOperator<String> environment) {
        Problems problems = new Problems();
        String file = toml.toString();
        String text = Problems.readText(toml, "a readable flusso.toml");
        Node root = TomlTree.read(file, text, problems);
        problems.throwIfAny();
        Path folder = toml.toAbsolutePath().getParent();
        SchemaSource files = (index, schemaFile, at, found) -> {
            try {
                Path path = folder.resolve(schemaFile);
                return SchemaReader.readYaml(schemaFile, Files.readString(path, StandardCharsets.UTF_8), found);
            } catch (InvalidPathException e) {
                found.add(file, at, "index '" + index + "'.schema", "found '" + schemaFile + "', which is no path on this "
                        + "system (" + e.getReason() + "), expected the path of a schema file");
                return null;
            } catch (IOException e) {
                found.add(file, at, "index '" + index + "'.schema", "found '" + schemaFile + "', which cannot be read ("
                        + e.getClass().getSimpleName() + "), expected a readable schema file");
                return null;
            }
        };
        return read(file, root, files, environment, problems);
    }

    /** @throws dev.flusso.schema.SchemaException listing every problem found */
    public static Deployment read(String file, Node root, SchemaSource schemas, UnaryOperator<String> environment, Problems problems) {
        Deployment deployment = new DeploymentReader(file, problems, environment).read(root, schemas);
        problems.throwIfAny();
        return deployment;
    }

    @SuppressWarnings("unchecked")
    private Deployment read(Node root, SchemaSource schemas) {
        Node.MapNode map = reading.map(root, "", "a deployment: [source], [sinks.<name>] and [[index]] tables");
        if (map == null) {
            return null;
        }
        reading.allowOnly(map, "", TOP_LEVEL);
        Node sourceNode = reading.require(map, "source", "", "a [source] table");
        Map<String, Object> source = sourceNode == null ? null : new SourceReader(reading).source(sourceNode);
        Map<String, SinkConfig> sinks = sinks(map.get("sinks"));
        RejectionPolicy onError = Reading.isNull(map.get("on_error")) ? RejectionPolicy.STOP : policy(map.get("on_error"), "on_error");
        String prefix = Reading.isNull(map.get("prefix")) ? "" : reading.string(map.get("prefix"), "prefix", "a string");
        Map<String, Object> server = server(map.get("server"));
        Map<String, Object> queue = section(map.get("queue"), "queue");
        Map<String, Object> batch = section(map.get("batch"), "batch");
        Map<String, Object> failure = section(map.get("failure"), "failure");
        Map<String, Object> polling = section(map.get("polling"), "polling");
        checkQueue(map.get("queue"), queue);
        BatchPolicy batchPolicy = batch(map.get("batch"), batch);
        List<CompiledIndex> indexes = indexes(map.get("index"), schemas);
        FailurePolicies failures = failure(map.get("failure"), failure, onError, indexes);
        if (!problems.isEmpty()) {
            return null;
        }
        if (source.get("type").equals("postgres")) {
            overrideUnlessReference(source, "connection_url", "DATABASE_URL");
        }
        return new Deployment(reading.file(), settings("source", source), sinks, indexes, prefix, onError,
                settings("server", server), settings("queue", queue), batchPolicy, failures, settings("polling", polling),
                (Map<String, Object>) Reading.plain(root));
    }

    private Settings settings(String name, Map<String, Object> values) {
        return Settings.of(name, values, environment);
    }

    /** A reserved variable that is set replaces a literal or absent value, never an explicit reference. */
    private void overrideUnlessReference(Map<String, Object> section, String key, String variable) {
        if (environment.apply(variable) != null && !SourceReader.isReference(section.get(key))) {
            section.put(key, Map.of("env", variable));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(Node node, String name) {
        if (Reading.isNull(node)) {
            return new LinkedHashMap<>();
        }
        Node.MapNode map = reading.map(node, name, "a [" + name + "] table");
        return map == null ? new LinkedHashMap<>() : (Map<String, Object>) Reading.plain(map);
    }

    private RejectionPolicy policy(Node node, String path) {
        String name = reading.string(node, path, "stop, skip or dead_letter");
        if (name == null) {
            return RejectionPolicy.STOP;
        }
        try {
            return RejectionPolicy.fromConfigName(name);
        } catch (ConfigurationException e) {
            reading.problem(node.at(), path, "found '" + name + "', expected stop, skip or dead_letter");
            return RejectionPolicy.STOP;
        }
    }

    private Map<String, SinkConfig> sinks(Node node) {
        Map<String, SinkConfig> sinks = new TreeMap<>();
        if (Reading.isNull(node)) {
            return sinks;
        }
        Node.MapNode map = reading.map(node, "sinks", "named sink tables such as [sinks.primary]");
        if (map == null) {
            return sinks;
        }
        SourceReader sinkReader = new SourceReader(reading);
        for (Map.Entry<String, Node> entry : map.entries().entrySet()) {
            String path = "sinks." + entry.getKey();
            String name = reading.identifier(new Node.ScalarNode(map.keyAt(entry.getKey()), entry.getKey()), path);
            Map<String, Object> section = sinkReader.sink(entry.getValue(), path);
            if (name == null || section == null) {
                continue;
            }
            if (sinks.containsKey(name)) {
                reading.problem(map.keyAt(entry.getKey()), path, "found the sink name '" + name + "' twice (names are"
                        + " lowercased), expected distinct sink names");
                continue;
            }
            String type = (String) section.get("type");
            if (type.equals("opensearch")) {
                String prefix = name.toUpperCase(Locale.ROOT) + "_OPENSEARCH_";
                overrideUnlessReference(section, "url", prefix + "URL");
                overrideUnlessReference(section, "username", prefix + "USERNAME");
                overrideUnlessReference(section, "password", prefix + "PASSWORD");
            }
            sinks.put(name, new SinkConfig(name, type, settings("sinks." + name, section)));
        }
        return sinks;
    }

    private Map<String, Object> server(Node node) {
        Map<String, Object> server = section(node, "server");
        Node.MapNode map = node instanceof Node.MapNode m ? m : null;
        if (map == null) {
            return server;
        }
        reading.allowOnly(map, "server", Set.of("public_address", "private_address"));
        for (String key : List.of("public_address", "private_address")) {
            if (map.has(key)) {
                String address = reading.string(map.get(key), "server." + key, "an IP socket address such as 0.0.0.0:9464");
                if (address != null && !SourceReader.isSocketAddress(address)) {
                    reading.problem(map.get(key).at(), "server." + key, "found '" + address
                            + "', expected an IP socket address such as 0.0.0.0:9464 or [::1]:9465 (no host names)");
                }
            }
        }
        return server;
    }

    private void checkQueue(Node node, Map<String, Object> queue) {
        if (!(node instanceof Node.MapNode map)) {
            return;
        }
        if (map.has("type")) {
            reading.string(map.get("type"), "queue.type", "a queue provider name such as channel");
        }
        if (map.has("capacity") && !(map.get("capacity") instanceof Node.ScalarNode s && s.value() instanceof Long n && n >= 1)) {
            reading.problem(map.get("capacity").at(), "queue.capacity", "found " + Node.describe(map.get("capacity"))
                    + ", expected a whole number of at least 1");
        }
        queue.putIfAbsent("type", "channel");
    }

    private BatchPolicy batch(Node node, Map<String, Object> batch) {
        if (!(node instanceof Node.MapNode map)) {
            return BatchPolicy.DEFAULT;
        }
        reading.allowOnly(map, "batch", Set.of("max_changes", "max_delay", "max_in_flight"));
        int maxChanges = (int) positive(map, "max_changes", "batch", BatchPolicy.DEFAULT.maxChanges());
        Duration maxDelay = duration(map, "max_delay", "batch", BatchPolicy.DEFAULT.maxDelay());
        int maxInFlight = (int) positive(map, "max_in_flight", "batch", BatchPolicy.DEFAULT.maxInFlight());
        return new BatchPolicy(Math.max(1, maxChanges), maxDelay, Math.max(1, maxInFlight));
    }

    private FailurePolicies failure(Node node, Map<String, Object> failure, RejectionPolicy onError, List<CompiledIndex> indexes) {
        Map<String, RejectionPolicy> perIndex = new LinkedHashMap<>();
        for (CompiledIndex index : indexes) {
            if (index.onError() != null) {
                perIndex.put(index.name(), index.onError());
            }
        }
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        if (!(node instanceof Node.MapNode map)) {
            return new FailurePolicies(onError, perIndex, defaults);
        }
        reading.allowOnly(map, "failure", Set.of("flush_attempts", "initial_backoff", "max_backoff", "give_up_after"));
        int attempts = (int) positive(map, "flush_attempts", "failure", defaults.maxAttempts());
        Duration initial = duration(map, "initial_backoff", "failure", defaults.initialBackoff());
        Duration max = duration(map, "max_backoff", "failure", defaults.maxBackoff());
        Duration giveUp = duration(map, "give_up_after", "failure", defaults.giveUpAfter());
        if (max.compareTo(initial) < 0) {
            reading.problem(map.at(), "failure", "found max_backoff " + max + " shorter than initial_backoff " + initial
                    + ", expected max_backoff at least initial_backoff");
            max = initial;
        }
        if (initial.isZero() || initial.isNegative()) {
            reading.problem(map.at(), "failure", "found initial_backoff " + initial + ", expected at least 1ms: a step"
                    + " retried without a pause would hammer the server");
            initial = defaults.initialBackoff();
            max = max.compareTo(initial) < 0 ? initial : max;
        }
        if (giveUp.isZero() || giveUp.isNegative()) {
            reading.problem(map.at(), "failure", "found give_up_after " + giveUp + ", expected a positive duration such"
                    + " as \"10m\"");
            giveUp = defaults.giveUpAfter();
        }
        return new FailurePolicies(onError, perIndex, new RetryPolicy(Math.max(1, attempts), initial, max, giveUp));
    }

    private long positive(Node.MapNode map, String key, String section, long fallback) {
        Node node = map.get(key);
        if (node == null) {
            return fallback;
        }
        if (node instanceof Node.ScalarNode s && s.value() instanceof Long n && n >= 1 && n <= Integer.MAX_VALUE) {
            return n;
        }
        reading.problem(node.at(), section + "." + key, "found " + Node.describe(node) + ", expected a whole number of at least 1");
        return fallback;
    }

    private Duration duration(Node.MapNode map, String key, String section, Duration fallback) {
        Node node = map.get(key);
        if (node == null) {
            return fallback;
        }
        String expected = "a duration with its unit, such as \"500ms\", \"5s\" or \"2m\"";
        String text = reading.string(node, section + "." + key, expected);
        if (text == null) {
            return fallback;
        }
        try {
            return Settings.of(section, Map.of(key, text), name -> null).duration(key, fallback);
        } catch (ConfigurationException e) {
            reading.problem(node.at(), section + "." + key, "found '" + text + "', expected " + expected);
            return fallback;
        }
    }

    private List<CompiledIndex> indexes(Node node, SchemaSource schemas) {
        List<CompiledIndex> indexes = new ArrayList<>();
        List<Node> items = Reading.isNull(node) ? List.of() : reading.list(node, "index", "[[index]] tables");
        if (items == null) {
            return indexes;
        }
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "index[" + i + "]";
            Node.MapNode map = reading.map(items.get(i), path, "an [[index]] table with name, schema and enabled");
            if (map == null) {
                continue;
            }
            reading.allowOnly(map, path, INDEX_KEYS);
            Node nameNode = reading.require(map, "name", path, "the index's name");
            String name = nameNode == null ? null : reading.identifier(nameNode, path + ".name");
            Node schemaNode = reading.require(map, "schema", path, "the path of its schema file");
            String schemaFile = schemaNode == null ? null : reading.string(schemaNode, path + ".schema", "a path to a *.schema.yml file");
            // Lenient like the documentation: an entry without `enabled` is enabled (the original tool demands the key).
            Boolean enabled = map.has("enabled") ? reading.bool(map.get("enabled"), path + ".enabled") : Boolean.TRUE;
            RejectionPolicy onError = map.has("on_error") ? policy(map.get("on_error"), path + ".on_error") : null;
            if (name != null && !names.add(name)) {
                reading.problem(nameNode.at(), path + ".name", "found the index name '" + name + "' twice, expected distinct index names");
                continue;
            }
            // Disabled indexes are validated too, as the original tool does: enabling one later must not surprise.
            IndexSchema schema = name == null || schemaFile == null ? null
                    : schemas.schema(name, schemaFile, map.keyAt("schema"), problems);
            if (schema != null && enabled != null) {
                indexes.add(new CompiledIndex(name, schemaFile, enabled, onError, schema));
            }
        }
        indexes.sort(Comparator.comparing(CompiledIndex::name));
        return indexes;
    }
}
