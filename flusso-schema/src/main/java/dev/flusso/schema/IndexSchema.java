package dev.flusso.schema;

import dev.flusso.schema.internal.Problems;
import dev.flusso.schema.internal.SchemaPrinter;
import dev.flusso.schema.internal.SchemaReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One {@code *.schema.yml}: the documents of one index, from a root table and the tables folded into it.
 * Identifiers are as the database sees them (trimmed and lowercased); defaults are filled in.
 *
 * @param version the format version written in the file: 1, or 2 for a file that uses our extensions
 * @param table the root table
 * @param schema the database schema of every table the index reads ({@code public} by default)
 * @param primaryKey the root table's primary-key columns in key order; empty when the file declares none
 * @param softDelete when a root row counts as deleted, or {@code null}
 * @param filters which root rows become documents; empty for all
 * @param fields the document's fields
 */
public record IndexSchema(
        int version,
        String table,
        String schema,
        List<String> primaryKey,
        SoftDelete softDelete,
        List<Filter> filters,
        List<Field> fields) {

    /** The newest format version this build reads. */
    public static final int LATEST_VERSION = 2;

    public IndexSchema {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(schema, "schema");
        primaryKey = List.copyOf(primaryKey);
        filters = List.copyOf(filters);
        fields = List.copyOf(fields);
    }

    /**
     * Reads and validates a schema file.
     *
     * @param file the file, never {@code null}
     * @return the schema
     * @throws SchemaException listing every problem of the file
     */
    public static IndexSchema parse(Path file) {
        return parse(file.toString(), Problems.readText(file, "a readable schema file"));
    }

    /**
     * Reads and validates a schema from text.
     *
     * @param fileName the name problems cite, such as {@code users.schema.yml}, never {@code null}
     * @param yaml the file's content, never {@code null}
     * @return the schema
     * @throws SchemaException listing every problem of the file
     */
    public static IndexSchema parse(String fileName, String yaml) {
        Problems problems = new Problems();
        IndexSchema schema = SchemaReader.readYaml(fileName, yaml, problems);
        problems.throwIfAny();
        return schema;
    }

    /** {@return the schema written as a schema file, with every default spelt out; it reads back equal} */
    public String toYaml() {
        return SchemaPrinter.toYaml(this);
    }
}
