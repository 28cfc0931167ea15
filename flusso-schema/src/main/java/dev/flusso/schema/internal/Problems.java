package dev.flusso.schema.internal;

import dev.flusso.schema.Problem;
import dev.flusso.schema.SchemaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one or more files, so that all of them are reported at once. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(String file, Node.Location at, String path, String message) {
        list.add(new Problem(file, at.line(), at.column(), path, message));
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /**
     * Reads a whole file as UTF-8 text.
     *
     * @param expected what the file should be, for the message
     * @return the text
     * @throws SchemaException naming the file when it cannot be read
     */
    public static String readText(Path path, String expected) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            Problems problems = new Problems();
            problems.add(path.toString(), Node.Location.NONE, "", "found an unreadable file (" + e + "), expected " + expected);
            problems.throwIfAny();
            throw new IllegalStateException(e);
        }
    }

    /** @throws SchemaException listing every problem, sorted by file then position, if there is any */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new SchemaException(sorted);
        }
    }
}
