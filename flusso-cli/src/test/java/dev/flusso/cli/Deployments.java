package dev.flusso.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-index deployment of an {@code authors} table, written into a test's folder. */
final class Deployments {

    /** The schema most tests want: the authors' names. */
    static final String NAMES = """
            version: 1
            table: authors
            primary_key: id
            fields:
              - text: name
            """;

    private Deployments() {
    }

    /**
     * Writes {@code authors.schema.yml} and a {@code flusso.toml} with a fast batch.
     *
     * @param sinks the {@code [sinks.…]} sections; by default a stdout sink into {@code docs.ndjson} of the folder
     * @return the deployment file
     */
    static Path authors(Path dir, String connectionUrl, String schema, String sinks) {
        try {
            Files.writeString(dir.resolve("authors.schema.yml"), schema);
            Path toml = dir.resolve("flusso.toml");
            Files.writeString(toml, """
                    [source]
                    type = "postgres"
                    connection_url = "%s"

                    %s
                    [[index]]
                    name = "authors"
                    schema = "authors.schema.yml"

                    [batch]
                    max_changes = 100
                    max_delay = "20ms"
                    """.formatted(connectionUrl, sinks != null ? sinks
                    : "[sinks.out]\ntype = \"stdout\"\npath = \"" + dir.resolve("docs.ndjson") + "\"\n"));
            return toml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
