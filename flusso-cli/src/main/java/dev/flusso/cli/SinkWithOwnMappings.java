package dev.flusso.cli;

import dev.flusso.api.ForwardingSink;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Sink;
import java.util.Map;

/**
 * A sink given each index's mapping as derived with its own section's options ({@code auto_subfields},
 * {@code text_analysis}, shards, replicas): several sinks of one deployment may map the same index differently.
 */
final class SinkWithOwnMappings extends ForwardingSink {

    private final Map<String, IndexDefinition> definitions;

    SinkWithOwnMappings(Sink sink, Map<String, IndexDefinition> definitions) {
        super(sink);
        this.definitions = Map.copyOf(definitions);
    }

    @Override
    public void ensureIndex(IndexDefinition index) {
        delegate.ensureIndex(definitions.getOrDefault(index.name(), index));
    }
}
