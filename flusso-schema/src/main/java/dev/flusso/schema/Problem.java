package dev.flusso.schema;

import java.util.Objects;

/**
 * One thing wrong in a deployment or schema file.
 *
 * @param file the file as the user named it ({@code users.schema.yml}), never {@code null}
 * @param line the 1-based line, or 0 when the file could not be read at all
 * @param column the 1-based column, or 0 when the file could not be read at all
 * @param path where in the file's structure, such as {@code fields[3].has_many 'orders'}; empty for the whole file
 * @param message what was found and what was expected, never {@code null}
 */
public record Problem(String file, int line, int column, String path, String message) {

    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@return the problem as one line: {@code users.schema.yml:14:5 fields[3].has_many 'orders': message}} */
    @Override
    public String toString() {
        String where = file + ":" + line + ":" + column;
        return path.isEmpty() ? where + ": " + message : where + " " + path + ": " + message;
    }
}
