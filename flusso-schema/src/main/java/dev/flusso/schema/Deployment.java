package dev.flusso.schema;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.FailurePolicies;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.spi.Settings;
import dev.flusso.schema.internal.DeploymentReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A validated {@code flusso.toml} with every index schema it names.
 *
 * <p>Secrets are never resolved here: values written as {@code { env = "VAR" }} stay references until a
 * {@link Settings} read. The reserved variables ({@code DATABASE_URL}, {@code <SINK>_OPENSEARCH_URL},
 * {@code …_USERNAME}, {@code …_PASSWORD}) override a literal or absent value by turning it into such a reference
 * when the variable is set at load; an explicit reference in the file is never overridden.
 *
 * @param origin the file it was read from ({@code flusso.toml} or a lock file), for messages
 * @param source the {@code [source]} section
 * @param sinks the sinks by name, in name order; empty means the engine's default stdout sink
 * @param indexes every {@code [[index]]}, enabled or not, in name order
 * @param prefix the literal prefix of every index name, possibly empty
 * @param onError the default policy for rejected documents
 * @param server the {@code [server]} section
 * @param queue our {@code [queue]} section: {@code type} ({@code channel} by default), {@code capacity}, …
 * @param batch our {@code [batch]} section as a policy
 * @param failure {@code on_error} (global and per index) and our {@code [failure]} section as policies
 * @param polling our {@code [polling]} section, as written
 * @param declared the deployment file as written, before overrides: what the lock file stores
 */
public record Deployment(
        String origin,
        Settings source,
        Map<String, SinkConfig> sinks,
        List<CompiledIndex> indexes,
        String prefix,
        RejectionPolicy onError,
        Settings server,
        Settings queue,
        BatchPolicy batch,
        FailurePolicies failure,
        Settings polling,
        Map<String, Object> declared) {

    public Deployment {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(source, "source");
        sinks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sinks));
        indexes = List.copyOf(indexes);
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(onError, "onError");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(polling, "polling");
        declared = Values.freeze(declared);
    }

    /**
     * Reads a deployment file and every index schema it names (relative to the file's folder), with the process
     * environment deciding the reserved-variable overrides.
     *
     * @param flussoToml the deployment file, never {@code null}
     * @return the deployment
     * @throws SchemaException listing every problem of the deployment file and of every schema file
     */
    public static Deployment load(Path flussoToml) {
        return load(flussoToml, System::getenv);
    }

    /**
     * @param flussoToml the deployment file, never {@code null}
     * @param environment looks up an environment variable, {@code null} when unset; also resolves the
     *     {@code { env = … }} references of the returned settings when they are read
     * @return the deployment
     * @throws SchemaException listing every problem of the deployment file and of every schema file
     */
    public static Deployment load(Path flussoToml, UnaryOperator<String> environment) {
        return DeploymentReader.load(flussoToml, environment);
    }

    /** {@return the indexes built on this run} */
    public List<CompiledIndex> enabledIndexes() {
        return indexes.stream().filter(CompiledIndex::enabled).toList();
    }

    /** {@return the index of that logical name, if any} */
    public Optional<CompiledIndex> index(String name) {
        return indexes.stream().filter(index -> index.name().equals(name)).findFirst();
    }
}
