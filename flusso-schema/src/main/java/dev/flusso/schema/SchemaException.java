package dev.flusso.schema;

import dev.flusso.api.ConfigurationException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A deployment or schema file that Flusso cannot accept. Carries every problem found, not only the first, so one
 * run of {@code flusso check} shows the user all there is to fix.
 */
public final class SchemaException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /**
     * @param problems the problems, at least one, in file order
     */
    public SchemaException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a schema exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** {@return every problem found, in file order} */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }
}
