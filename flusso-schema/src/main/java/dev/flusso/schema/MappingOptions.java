package dev.flusso.schema;

import dev.flusso.api.spi.Settings;

/**
 * The sink settings that shape an index's mapping and settings without changing its fingerprint: the original
 * tool's OpenSearch sink keys {@code auto_subfields}, {@code text_analysis}, {@code number_of_shards} and
 * {@code number_of_replicas}.
 *
 * @param autoSubfields whether {@code text} and {@code keyword} fields get the default analyser and sub-fields
 * @param icu whether the analysers use the ICU plugin ({@code text_analysis = "icu"}) rather than built-ins
 * @param numberOfShards primary shards, at least 1
 * @param numberOfReplicas replicas, at least 0
 */
public record MappingOptions(boolean autoSubfields, boolean icu, int numberOfShards, int numberOfReplicas) {

    /** The original tool's defaults: sub-fields on, built-in analysis, 1 shard, 1 replica. */
    public static final MappingOptions DEFAULT = new MappingOptions(true, false, 1, 1);

    public MappingOptions {
        // The original clamps 0 shards to 1 rather than failing.
        numberOfShards = Math.max(1, numberOfShards);
        if (numberOfReplicas < 0) {
            throw new IllegalArgumentException("number_of_replicas must not be negative, got " + numberOfReplicas);
        }
    }

    /** {@return the options an OpenSearch sink section sets, defaults for the keys it leaves out} */
    public static MappingOptions of(Settings sink) {
        return new MappingOptions(
                sink.bool("auto_subfields", DEFAULT.autoSubfields),
                "icu".equals(sink.string("text_analysis", "builtin")),
                sink.integer("number_of_shards", DEFAULT.numberOfShards),
                sink.integer("number_of_replicas", DEFAULT.numberOfReplicas));
    }
}
