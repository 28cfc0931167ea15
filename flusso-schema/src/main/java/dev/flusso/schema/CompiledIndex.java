package dev.flusso.schema;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.RejectionPolicy;
import dev.flusso.api.TableRef;
import dev.flusso.schema.internal.Fingerprint;
import dev.flusso.schema.internal.MappingBuilder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code [[index]]} entry with its validated schema: everything the builder and the sinks need, with no file
 * left to read.
 *
 * @param name the logical index name (trimmed and lowercased)
 * @param schemaFile the schema file as the deployment names it, for messages
 * @param enabled whether the index is built on this run
 * @param onError the index's own rejection policy, or {@code null} to use the deployment's
 * @param schema the validated schema
 */
public record CompiledIndex(String name, String schemaFile, boolean enabled, RejectionPolicy onError, IndexSchema schema) {

    public CompiledIndex {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schemaFile, "schemaFile");
        Objects.requireNonNull(schema, "schema");
    }

    /** {@return the OpenSearch {@code mappings} with the default sink options} */
    public Map<String, Object> mapping() {
        return mapping(MappingOptions.DEFAULT);
    }

    /** {@return the OpenSearch {@code mappings} for a sink with these options} */
    public Map<String, Object> mapping(MappingOptions options) {
        return MappingBuilder.mappings(schema, options);
    }

    /** {@return the OpenSearch index {@code settings} with the default sink options} */
    public Map<String, Object> settings() {
        return settings(MappingOptions.DEFAULT);
    }

    /** {@return the OpenSearch index {@code settings} for a sink with these options} */
    public Map<String, Object> settings(MappingOptions options) {
        return MappingBuilder.settings(schema, options);
    }

    /** {@return the SHA-256 content hash of the schema and its mapping, 64 lowercase hex digits} */
    public String fingerprint() {
        return Fingerprint.of(schema);
    }

    /** {@return the root table and every table joined, aggregated or used as a junction} */
    public Set<TableRef> tables() {
        Set<TableRef> tables = new LinkedHashSet<>();
        tables.add(new TableRef(schema.schema(), schema.table()));
        collect(schema.fields(), tables);
        return tables;
    }

    private void collect(List<Field> fields, Set<TableRef> tables) {
        for (Field field : fields) {
            if (field instanceof JoinField join) {
                tables.add(new TableRef(schema.schema(), join.table()));
                if (join.through() != null) {
                    tables.add(new TableRef(schema.schema(), join.through().table()));
                }
                collect(join.fields(), tables);
            } else if (field instanceof AggregateField aggregate) {
                tables.add(new TableRef(schema.schema(), aggregate.table()));
                if (aggregate.through() != null) {
                    tables.add(new TableRef(schema.schema(), aggregate.through().table()));
                }
            } else if (field instanceof ObjectField object) {
                collect(object.fields(), tables);
            }
        }
    }

    /** {@return the index as the engine sees it, with the default sink options} */
    public IndexDefinition toDefinition() {
        return toDefinition(MappingOptions.DEFAULT);
    }

    /**
     * @param options the sink options that shape the mapping and settings
     * @return the index as the engine sees it
     * @throws ConfigurationException if the schema declares no primary key: documents are named after it
     */
    public IndexDefinition toDefinition(MappingOptions options) {
        if (schema.primaryKey().isEmpty()) {
            throw new ConfigurationException("index '" + name + "' (" + schemaFile + ") declares no primary_key: expected"
                    + " one, since each document's id comes from it");
        }
        return new IndexDefinition(name, new TableRef(schema.schema(), schema.table()), schema.primaryKey(), tables(),
                mapping(options), settings(options), fingerprint());
    }
}
