/**
 * Flusso's deployment and index schema files.
 *
 * <p>{@link dev.flusso.schema.Deployment} reads a {@code flusso.toml} and every index schema it names;
 * {@link dev.flusso.schema.IndexSchema} reads one {@code *.schema.yml}; {@link dev.flusso.schema.CompiledIndex}
 * derives an index's OpenSearch mapping and fingerprint; {@link dev.flusso.schema.LockFile} writes and reads the
 * compiled deployment. Every file is validated completely at load: a {@link dev.flusso.schema.SchemaException}
 * lists all the problems found, each with its file, line, column and path.
 */
module dev.flusso.schema {
    requires transitive dev.flusso.api;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.fasterxml.jackson.dataformat.toml;

    exports dev.flusso.schema;
}
