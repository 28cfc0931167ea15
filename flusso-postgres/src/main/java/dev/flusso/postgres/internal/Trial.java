package dev.flusso.postgres.internal;

import dev.flusso.api.TableRef;
import dev.flusso.postgres.CheckProblem;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.CustomField;
import dev.flusso.schema.Field;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.ScalarField;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs what the catalog cannot tell: each index's whole build query, on no rows. An expression that does not parse or
 * names what does not exist, and a table or column the role may not read, fail here, before a run creates anything;
 * when one does, each computed field's expression is tried alone over its table to name the field at fault. Each
 * statement runs under a savepoint, so one failure leaves the transaction usable for the next.
 */
public final class Trial {

    private final Connection connection;
    private final List<CheckProblem> problems = new ArrayList<>();

    private Trial(Connection connection) {
        this.connection = connection;
    }

    /**
     * @param indexes indexes whose tables and columns the catalog check found in order
     * @param queries each index's build query, by index name
     * @return every problem, naming index, table and field
     */
    public static List<CheckProblem> run(Connection connection, List<CompiledIndex> indexes,
            java.util.function.Function<String, BuildQuery> queries) throws SQLException {
        Trial trial = new Trial(connection);
        for (CompiledIndex index : indexes) {
            TableRef root = new TableRef(index.schema().schema(), index.schema().table());
            String failure = trial.buildQuery(queries.apply(index.name()));
            if (failure == null) {
                continue;
            }
            // Only to name the field at fault: an expression alone, over its own table, may fail where the build
            // query (with the parent's columns in scope) works, so this runs only once the whole query failed.
            int before = trial.problems.size();
            trial.expressions(index.name(), root, index.schema().fields());
            if (trial.problems.size() == before) {
                trial.problems.add(new CheckProblem(index.name(), root.toString(), "", "building its documents fails on the"
                        + " database: " + failure, fix(failure, root)));
            }
        }
        return List.copyOf(trial.problems);
    }

    private void expressions(String index, TableRef table, List<Field> fields) throws SQLException {
        for (Field field : fields) {
            String expression = field instanceof ScalarField scalar ? scalar.expression()
                    : field instanceof CustomField custom ? custom.expression() : null;
            if (expression != null) {
                String failure = attempt("SELECT (" + expression + ") FROM " + Sql.table(table) + " WHERE false", statement -> { });
                if (failure != null) {
                    problems.add(new CheckProblem(index, table.toString(), "", "the expression of field '" + field.name()
                            + "' (" + expression + ") fails on the database: " + failure, fix(failure, table)));
                }
            } else if (field instanceof ObjectField object) {
                expressions(index, table, object.fields());
            } else if (field instanceof JoinField join) {
                expressions(index, new TableRef(table.schema(), join.table()), join.fields());
            }
        }
    }

    /** {@return the server's message if the index's build query fails on no rows, or null} */
    private String buildQuery(BuildQuery query) throws SQLException {
        return attempt(query.sql(), statement -> {
            int next = Lookup.bindKeys(connection, statement, 1, List.of(), query.keyArity());
            for (Object parameter : query.parameters()) {
                Builds.bind(statement, next++, parameter);
            }
        });
    }

    private static String fix(String failure, TableRef table) {
        if (failure.startsWith("permission denied")) {
            return "grant the role SELECT on the tables and columns the index reads (GRANT SELECT ON " + table + " TO …)";
        }
        return "correct the schema to match the database, then run flusso check";
    }

    /** {@return the server's message if the statement fails, or null} */
    private String attempt(String sql, Binder binder) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            statement.setMaxRows(1);
            statement.executeQuery().close();
            connection.releaseSavepoint(savepoint);
            return null;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            // The connection or the server at fault, or a conflict (serialization, a lock timeout): not the schema.
            if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53") || state.startsWith("40")
                    || state.equals("55P03") || state.isEmpty()) {
                throw e;
            }
            connection.rollback(savepoint);
            return firstLine(e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.replaceFirst("^ERROR: ", "");
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
