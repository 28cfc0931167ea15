package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the publication covering exactly the tables the indexes read, published via the partition root so that
 * changes to any partition, present or added later, arrive under the partitioned table's name. When it may not (the
 * setting is off, or the role lacks the privilege), it does not fail but returns, and logs, the statements to run.
 * Only a publication that does not exist at all is an error, since nothing could be streamed.
 */
public final class Publications {

    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);

    private final Connection connection;
    private final String name;
    private final boolean manage;

    public Publications(Connection connection, String name, boolean manage) {
        this.connection = connection;
        this.name = name;
        this.manage = manage;
    }

    /**
     * Creates or extends the publication.
     *
     * @param tables every table the indexes read
     * @param partitioned those of them that are partitioned
     * @return the statements an administrator must run because the capture could not; empty when none
     * @throws FlussoException if the publication does not exist and cannot be created
     */
    public List<String> ensure(Set<TableRef> tables, Set<TableRef> partitioned) {
        Plan plan = plan(tables, partitioned);
        try {
            if (!plan.exists()) {
                String create = plan.statements().get(0);
                if (!manage || !run(create)) {
                    throw Problems.publicationMissing(name, create);
                }
                LOG.info("created publication '{}' for {}", name, new TreeSet<>(tables.stream().map(TableRef::toString).toList()));
                return List.of();
            }
            List<String> left = new ArrayList<>();
            for (String statement : plan.statements()) {
                if (manage && run(statement)) {
                    LOG.info("extended publication '{}': {}", name, statement);
                } else {
                    left.add(statement);
                }
            }
            if (!left.isEmpty()) {
                LOG.warn("publication '{}' does not publish every table the indexes read, and flusso {}: changes to those"
                        + " tables are not captured until an administrator runs: {}", name,
                        manage ? "lacks the privilege to change it" : "may not change it (manage_publication = false)",
                        String.join(" ", left));
            }
            return List.copyOf(left);
        } catch (SQLException e) {
            throw SourceDatabase.failed("changing publication '" + name + "'", e);
        }
    }

    /**
     * What the publication lacks, changing nothing.
     *
     * @param exists whether the publication exists
     * @param statements what would make it cover the tables; when it does not exist, the one that creates it
     */
    public record Plan(boolean exists, List<String> statements) {
    }

    /** {@return what the publication lacks to publish exactly these tables, via their partition roots} */
    public Plan plan(Set<TableRef> tables, Set<TableRef> partitioned) {
        try {
            State state = read();
            if (state == null) {
                return new Plan(false, List.of("CREATE PUBLICATION " + Sql.identifier(name) + " FOR TABLE " + Sql.tables(tables)
                        + " WITH (publish_via_partition_root = true);"));
            }
            List<String> instructions = new ArrayList<>();
            if (!state.viaRoot && !partitioned.isEmpty()) {
                instructions.add("ALTER PUBLICATION " + Sql.identifier(name) + " SET (publish_via_partition_root = true);");
            }
            if (!state.allTables) {
                Set<TableRef> missing = new HashSet<>(tables);
                missing.removeAll(state.tables);
                if (!missing.isEmpty()) {
                    instructions.add("ALTER PUBLICATION " + Sql.identifier(name) + " ADD TABLE " + Sql.tables(missing) + ";");
                }
            }
            return new Plan(true, List.copyOf(instructions));
        } catch (SQLException e) {
            throw SourceDatabase.failed("reading publication '" + name + "'", e);
        }
    }

    private State read() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT puballtables, pubviaroot FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                State state = new State(row.getBoolean(1), row.getBoolean(2));
                try (PreparedStatement tables = connection.prepareStatement(
                        "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
                    tables.setString(1, name);
                    try (ResultSet rows = tables.executeQuery()) {
                        while (rows.next()) {
                            state.tables.add(new TableRef(rows.getString(1), rows.getString(2)));
                        }
                    }
                }
                return state;
            }
        }
    }

    /** Runs DDL; false when the role lacks the privilege (not the owner, or no CREATE on the database). */
    private boolean run(String ddl) throws SQLException {
        try {
            connection.createStatement().execute(ddl);
            return true;
        } catch (SQLException e) {
            if ("42710".equals(e.getSQLState())) {
                return true; // already a member: the catalog listed it under its partitions
            }
            if ("42501".equals(e.getSQLState())) {
                LOG.debug("no privilege to run {}: {}", ddl, e.getMessage());
                return false;
            }
            throw e;
        }
    }

    private static final class State {
        final boolean allTables;
        final boolean viaRoot;
        final Set<TableRef> tables = new HashSet<>();

        State(boolean allTables, boolean viaRoot) {
            this.allTables = allTables;
            this.viaRoot = viaRoot;
        }
    }
}
