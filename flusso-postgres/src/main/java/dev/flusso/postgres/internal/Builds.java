package dev.flusso.postgres.internal;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.DocumentId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Runs an index's {@link BuildQuery} for a chunk of ids and reports each id exactly once. */
public final class Builds {

    private Builds() {
    }

    /** What became of one requested id. */
    public record Outcome(DocumentId id, String source, String failure) {
        public void report(BuildOutput out) {
            if (failure != null) {
                out.failed(id, failure);
            } else if (source != null) {
                out.document(id, source);
            } else {
                out.deleted(id);
            }
        }
    }

    /**
     * Builds the documents of one query run; the outcomes come back in request order, not reported yet, so that a
     * failing run reports nothing and can be retried.
     */
    public static List<Outcome> run(Connection connection, BuildQuery query, String rootTable, List<DocumentId> ids,
            int fetchSize) throws SQLException {
        Outcome[] outcomes = new Outcome[ids.size()];
        List<List<String>> keys = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Optional<List<String>> key = Ids.decode(ids.get(i).id(), query.keyArity());
            if (key.isPresent()) {
                keys.add(key.get());
                positions.add(i);
            } else {
                outcomes[i] = new Outcome(ids.get(i), null, "index '" + query.index() + "', table '" + rootTable + "': id '"
                        + ids.get(i).id() + "' is not a key of " + query.keyArity() + " columns");
            }
        }
        if (!keys.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
                int next = Lookup.bindKeys(connection, statement, 1, keys, query.keyArity());
                for (Object parameter : query.parameters()) {
                    bind(statement, next++, parameter);
                }
                statement.setFetchSize(fetchSize);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        int at = positions.get((int) rows.getLong(1) - 1);
                        outcomes[at] = outcome(query, rootTable, ids.get(at), rows);
                    }
                }
            }
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                // No such root row: the document goes.
                outcomes[i] = new Outcome(ids.get(i), null, null);
            }
        }
        return Arrays.asList(outcomes);
    }

    private static Outcome outcome(BuildQuery query, String rootTable, DocumentId id, ResultSet rows) throws SQLException {
        if (!rows.getBoolean(2)) {
            return new Outcome(id, null, null);
        }
        Array missing = rows.getArray(3);
        if (missing != null) {
            Integer[] numbers = (Integer[]) missing.getArray();
            if (numbers.length > 0) {
                List<String> fields = Arrays.stream(numbers).map(n -> query.required().get(n - 1)).toList();
                return new Outcome(id, null, "index '" + query.index() + "', table '" + rootTable + "', document '"
                        + id.id() + "': required field" + (fields.size() == 1 ? " " : "s ") + String.join(", ", fields)
                        + (fields.size() == 1 ? " is" : " are") + " null; expected a value"
                        + " (give the field a default, or make it not required)");
            }
        }
        return new Outcome(id, rows.getString(4), null);
    }

    static void bind(PreparedStatement statement, int index, Object parameter) throws SQLException {
        if (parameter instanceof Sql.Untyped untyped) {
            statement.setObject(index, untyped.value(), Types.OTHER);
        } else if (parameter instanceof Long number) {
            statement.setLong(index, number);
        } else {
            statement.setString(index, (String) parameter);
        }
    }
}
