package dev.flusso.reliability;

import dev.flusso.testing.opensearch.OpenSearchServer;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import dev.flusso.testing.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scenario's world: its seed, a database of its own, a folder with {@code flusso.toml} and the schemas, a
 * slot, and an index prefix of its own in the shared OpenSearch. It prints the scenario's outcome line.
 */
final class Scenario implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String name;
    final long seed;
    final PostgresDatabase database;
    final OpenSearchServer search;
    final Path folder;
    final String prefix;
    final String slot;
    /** The scenario's workload, when it runs one. */
    Library.Workload workload;
    private final List<FlussoProcess> processes = new ArrayList<>();
    private int runs;
    private boolean passed;

    private Scenario(String name, long seed, PostgresDatabase database, OpenSearchServer search) {
        this.name = name;
        this.seed = seed;
        this.database = database;
        this.search = search;
        int number = COUNTER.incrementAndGet();
        this.slot = "rel_" + number + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
        this.prefix = slot + "_";
        try {
            Path work = Path.of(System.getProperty("flusso.work", "target/scenarios"));
            Files.createDirectories(work);
            this.folder = Files.createTempDirectory(work.toAbsolutePath(), name.replaceAll("[^A-Za-z0-9]+", "-") + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scenario on the shared PostgreSQL cluster and the shared OpenSearch. */
    static Scenario of(String name) {
        return of(name, PostgresServer.shared());
    }

    /** A scenario on a cluster of its own (one it restarts or configures differently). */
    static Scenario of(String name, PostgresServer server) {
        return new Scenario(name, Seeds.seed(), server.createDatabase(), OpenSearchServer.shared());
    }

    /** Whether the soak mode runs: more crashes, a longer workload. */
    static boolean soak() {
        return Boolean.getBoolean("flusso.long");
    }

    /**
     * The {@code [failure]} section {@link #writeConfig} writes: quick retries for two minutes, so that a scenario
     * that fails does so soon; a scenario about the shipped defaults sets it to the empty string.
     */
    String failure = """
            [failure]
            initial_backoff = "100ms"
            max_backoff = "1s"
            give_up_after = "2m"
            """;

    /** Writes {@code flusso.toml} with the given index sections, failure policy and extra sections. */
    void writeConfig(String onError, String indexes, String extra) {
        write("flusso.toml", """
                prefix = "%s"
                on_error = "%s"

                [source]
                type = "postgres"
                connection_url = "%s"
                slot = "%s"
                publication = "%s"
                status_interval = "1s"

                [sinks.search]
                type = "opensearch"
                url = "%s"
                refresh_interval = "1s"

                [batch]
                max_changes = 500
                max_delay = "50ms"

                %s

                %s

                %s
                """.formatted(prefix, onError, database.url(), slot, slot, search.url(), failure, indexes, extra));
    }

    void write(String file, String text) {
        try {
            Files.writeString(folder.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code flusso run -c flusso.toml}; its output goes to {@code run-N.log} in the folder. */
    FlussoProcess run(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("run", "-c", "flusso.toml"));
        args.addAll(List.of(extraArgs));
        return start(args.toArray(String[]::new));
    }

    /** Starts {@code flusso <args>} in the folder. */
    FlussoProcess start(String... args) {
        return start(Map.of(), args);
    }

    /** Starts {@code flusso <args>} in the folder with these environment variables. */
    FlussoProcess start(Map<String, String> environment, String... args) {
        Path log = folder.resolve("run-" + (++runs) + ".log");
        FlussoProcess process = FlussoProcess.start(folder, log, environment, args);
        processes.add(process);
        return process;
    }

    /** {@return the flusso processes this scenario started} */
    List<FlussoProcess> processes() {
        return List.copyOf(processes);
    }

    Oracle oracle(String index, String documentsSql) {
        return new Oracle(database, documentsSql, search.http(), alias(index));
    }

    String alias(String index) {
        return prefix + index;
    }

    /** Waits until the index equals the oracle; fails with the differences when it does not in time. */
    void awaitConverged(Oracle oracle, Duration timeout) {
        awaitConverged(oracle, id -> true, timeout);
    }

    /** As {@link #awaitConverged(Oracle, Duration)}, over the ids the filter accepts. */
    void awaitConverged(Oracle oracle, java.util.function.Predicate<String> considered, Duration timeout) {
        Oracle.Diff[] last = new Oracle.Diff[1];
        try {
            Waits.until("the index to equal the oracle", timeout, () -> {
                last[0] = oracle.compare(considered);
                return last[0].isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(describe() + ": the index did not converge within " + timeout.toSeconds() + " s: "
                    + (last[0] == null ? e.getMessage() : last[0].toString()), e);
        }
    }

    /**
     * {@return the server's WAL insert position: past every commit made so far} Not {@code pg_current_wal_lsn()}, the
     * write position, which trails commits on a cluster with {@code synchronous_commit = off} (the harness's).
     */
    String currentLsn() {
        return queryText("SELECT pg_current_wal_insert_lsn()::text");
    }

    /** {@return the slot's confirmed_flush_lsn, or null when the slot does not exist} */
    String confirmedLsn() {
        return queryText("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
    }

    /** {@return whether the slot has confirmed at least {@code lsn}} */
    boolean confirmedAtLeast(String lsn) {
        return "yes".equals(queryText("SELECT CASE WHEN confirmed_flush_lsn >= '" + lsn + "'::pg_lsn THEN 'yes' ELSE 'no' END"
                + " FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
    }

    String queryText(String sql) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + database.name() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    String describe() {
        return "scenario '" + name + "' (seed " + seed + ", folder " + folder + ")";
    }

    /** Marks the scenario passed; {@link #close()} prints the outcome line either way. */
    void pass() {
        passed = true;
    }

    @Override
    public void close() {
        processes.forEach(FlussoProcess::close);
        dropSlots();
        System.out.println(String.format(Locale.ROOT, "RELIABILITY %-40s seed=%-20d %s", name, seed,
                passed ? "PASS" : "FAIL (folder " + folder + ")"));
    }

    /**
     * Drops the scenario's slots (its own and any it copied), so that the shared cluster's {@code max_replication_slots}
     * is not used up by finished scenarios, and their retained WAL is freed. Best effort: a failure here must not hide
     * the scenario's own outcome.
     */
    private void dropSlots() {
        String mine = "starts_with(slot_name, '" + slot + "')";
        try {
            queryText("SELECT count(pg_terminate_backend(active_pid))::text FROM pg_replication_slots WHERE " + mine
                    + " AND active_pid IS NOT NULL");
            Waits.until("the scenario's slots to be released", Duration.ofSeconds(10), () -> "0".equals(queryText(
                    "SELECT count(*)::text FROM pg_replication_slots WHERE " + mine + " AND active")));
            queryText("SELECT count(pg_drop_replication_slot(slot_name))::text FROM pg_replication_slots WHERE " + mine);
        } catch (RuntimeException | AssertionError e) {
            System.out.println("scenario '" + name + "': could not drop its slots: " + e.getMessage());
        }
    }
}
