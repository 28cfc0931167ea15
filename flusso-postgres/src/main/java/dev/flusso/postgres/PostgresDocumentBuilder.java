package dev.flusso.postgres;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.Change;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.Finding;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Resolution;
import dev.flusso.api.TableRef;
import dev.flusso.postgres.internal.BuildQuery;
import dev.flusso.postgres.internal.Builds;
import dev.flusso.postgres.internal.Catalog;
import dev.flusso.postgres.internal.Checker;
import dev.flusso.postgres.internal.IndexTree;
import dev.flusso.postgres.internal.Node;
import dev.flusso.postgres.internal.Resolver;
import dev.flusso.postgres.internal.Session;
import dev.flusso.postgres.internal.Trial;
import dev.flusso.schema.CompiledIndex;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Builds the documents of compiled index schemas from PostgreSQL, every schema feature in SQL: one query per index
 * per batch to build, at most one query per table occurrence per batch to resolve.
 *
 * <p>Lifecycle, in this order: the constructor (connects to nothing); {@link #indexes()}; optionally {@link #check()};
 * then {@link #resolve} and {@link #build} from one thread at a time; then {@link #close()}. The first call that
 * needs the database reads the catalog of every table the indexes read (column types, keys) and generates the SQL.
 * A lost connection fails the call with a {@link dev.flusso.api.RetriableException} and is reopened by the next.
 */
public final class PostgresDocumentBuilder implements DocumentBuilder {

    private static final int CHUNK = 10_000;

    private final List<CompiledIndex> indexes;
    private final Map<String, CompiledIndex> byName = new LinkedHashMap<>();
    private final Session session;
    private Catalog catalog;
    private final Map<String, IndexTree> trees = new LinkedHashMap<>();
    private final Map<String, BuildQuery> queries = new LinkedHashMap<>();

    /**
     * @param source where the rows are; connections are taken from it directly, never through {@code DriverManager}
     * @param indexes the indexes to build (every one given, enabled or not), never empty
     */
    public PostgresDocumentBuilder(DataSource source, List<CompiledIndex> indexes) {
        this.indexes = List.copyOf(indexes);
        if (this.indexes.isEmpty()) {
            throw new dev.flusso.api.ConfigurationException("the postgres builder needs at least one index");
        }
        for (CompiledIndex index : this.indexes) {
            byName.put(index.name(), index);
        }
        this.session = new Session(source, "postgres builder");
    }

    @Override
    public List<IndexDefinition> indexes() {
        return indexes.stream().map(CompiledIndex::toDefinition).toList();
    }

    @Override
    public void resolve(List<Change> changes, Set<String> names, Resolution out) {
        if (changes.isEmpty()) {
            return;
        }
        prepare();
        session.read("resolving " + changes.size() + " changes", connection -> {
            Resolver resolver = new Resolver(connection, catalog);
            for (String name : names) {
                IndexTree tree = trees.get(name);
                if (tree != null) {
                    resolver.resolve(tree, changes, out);
                }
            }
            return null;
        });
    }

    @Override
    public void build(Collection<DocumentId> documents, BuildOutput out) {
        prepare();
        Map<String, List<DocumentId>> byIndex = new LinkedHashMap<>();
        for (DocumentId id : documents) {
            byIndex.computeIfAbsent(id.index(), name -> new ArrayList<>()).add(id);
        }
        byIndex.forEach((name, ids) -> {
            BuildQuery query = queries.get(name);
            if (query == null) {
                ids.forEach(id -> out.failed(id, "index '" + name + "' is not one this builder builds: expected one of "
                        + byName.keySet()));
                return;
            }
            String root = byName.get(name).schema().schema() + "." + byName.get(name).schema().table();
            for (int start = 0; start < ids.size(); start += CHUNK) {
                buildChunk(query, root, ids.subList(start, Math.min(ids.size(), start + CHUNK)), out);
            }
        });
    }

    private void buildChunk(BuildQuery query, String root, List<DocumentId> ids, BuildOutput out) {
        List<Builds.Outcome> outcomes;
        try {
            outcomes = session.read("building " + ids.size() + " documents of index '" + query.index() + "'",
                    connection -> Builds.run(connection, query, root, ids, 500));
        } catch (dev.flusso.api.RetriableException e) {
            throw e;
        } catch (dev.flusso.api.FlussoException e) {
            if (ids.size() == 1 || !isDataError(e)) {
                if (isDataError(e)) {
                    out.failed(ids.get(0), "index '" + query.index() + "', table '" + root + "', document '"
                            + ids.get(0).id() + "': " + e.getCause().getMessage());
                    return;
                }
                throw e;
            }
            // A value that cannot be converted fails the whole query: find the documents at fault one by one.
            for (DocumentId id : ids) {
                buildChunk(query, root, List.of(id), out);
            }
            return;
        }
        outcomes.forEach(outcome -> outcome.report(out));
    }

    private static boolean isDataError(RuntimeException e) {
        return e.getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22");
    }

    /**
     * Checks the indexes against the live database: tables, columns, declared types and nullability, keys, and
     * each table's replica identity from the catalog; then each computed field's expression and each index's build
     * query, run on no rows, which finds what the catalog cannot (an expression that fails, a table or column the
     * role may not read). An empty list means the database fits the schemas.
     *
     * @return every problem found, each naming index, table and column and saying how to fix it
     */
    public List<CheckProblem> checkSchemas() {
        return session.read("checking the database", connection -> {
            Catalog current = Catalog.read(connection, allTables());
            List<CheckProblem> problems = new ArrayList<>(Checker.check(indexes, current));
            List<CompiledIndex> fitting = indexes.stream()
                    .filter(index -> problems.stream().noneMatch(problem -> problem.index().equals(index.name()) && problem.blocking()))
                    .toList();
            problems.addAll(Trial.run(connection, fitting, name -> BuildQuery.of(byName.get(name), current)));
            return List.copyOf(problems);
        });
    }

    /** {@return {@link #checkSchemas()} as findings: each problem an error, and each index that fits the database} */
    @Override
    public List<Finding> check() {
        List<CheckProblem> problems = checkSchemas();
        List<Finding> findings = new ArrayList<>();
        for (CompiledIndex index : indexes) {
            if (problems.stream().noneMatch(problem -> problem.index().equals(index.name()) && problem.blocking())) {
                findings.add(Finding.ok("index '" + index.name() + "'", "its tables, columns, types and keys fit the database"));
            }
        }
        for (CheckProblem problem : problems) {
            String subject = "index '" + problem.index() + "', table '" + problem.table() + "'"
                    + (problem.column().isEmpty() ? "" : ", column '" + problem.column() + "'");
            findings.add(problem.blocking() ? Finding.error(subject, problem.message(), problem.fix())
                    : Finding.warning(subject, problem.message(), problem.fix()));
        }
        return findings;
    }

    /**
     * {@return per table, the columns whose old values resolve needs in an update or deletion: keys, foreign keys,
     * junction columns, filter and soft-delete columns} A capture should carry at least these in
     * {@link Change#oldValues()} and {@link Change#newValues()}.
     */
    public Map<TableRef, Set<String>> relatingColumns() {
        prepare();
        return columns(true);
    }

    /**
     * {@return per table, every column the indexes read} An update that carries all of them, old and new, with
     * none changed rebuilds nothing.
     */
    public Map<TableRef, Set<String>> readColumns() {
        prepare();
        return columns(false);
    }

    private Map<TableRef, Set<String>> columns(boolean relating) {
        Map<TableRef, Set<String>> columns = new LinkedHashMap<>();
        for (IndexTree tree : trees.values()) {
            for (Node node : tree.nodes()) {
                columns.computeIfAbsent(node.table(), t -> new TreeSet<>()).addAll(relating ? node.relating() : node.reads());
                if (node.link().junction() != null) {
                    Set<String> junction = columns.computeIfAbsent(node.link().junction(), t -> new TreeSet<>());
                    junction.addAll(node.link().left());
                    junction.addAll(node.link().right());
                }
            }
        }
        columns.replaceAll((table, set) -> Set.copyOf(set));
        return columns;
    }

    private Set<TableRef> allTables() {
        Set<TableRef> tables = new LinkedHashSet<>();
        indexes.forEach(index -> tables.addAll(index.tables()));
        return tables;
    }

    private synchronized void prepare() {
        if (catalog != null) {
            return;
        }
        Catalog read = session.read("reading the catalog", connection -> Catalog.read(connection, allTables()));
        for (CompiledIndex index : indexes) {
            trees.put(index.name(), IndexTree.of(index, read));
            queries.put(index.name(), BuildQuery.of(index, read));
        }
        catalog = read;
    }

    /** {@return the generated build query of an index, for diagnostics and tests} */
    String buildSql(String index) {
        prepare();
        return queries.get(index).sql();
    }

    @Override
    public void close() {
        session.close();
    }
}
