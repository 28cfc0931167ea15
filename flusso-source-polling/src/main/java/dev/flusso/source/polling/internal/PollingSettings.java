package dev.flusso.source.polling.internal;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.TableRef;
import dev.flusso.api.spi.Settings;
import dev.flusso.postgres.ConnectionTarget;
import dev.flusso.postgres.PostgresConnections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The {@code [source]} section the {@code polling} capture reads (the CLI passes it without {@code type} and
 * {@code capture}). See the module's README for each key.
 *
 * @param source where to connect
 * @param pollInterval the pause between the starts of two poll rounds
 * @param pageSize the most rows one statement reads
 * @param cursorColumns per table, the column polled instead of scanning the whole table
 * @param lookback how far below the newest value seen the next poll of a cursor column starts: a duration for
 *     date and time columns, a whole number (as a {@code Long}) for numeric ones; {@code null} for the default
 * @param state where the confirmed cursors live
 * @param stateTable the state table, for {@link StateKind#TABLE}
 * @param stateName this deployment's rows in the state table
 * @param stateFile the state file, for {@link StateKind#FILE}
 * @param sweepInterval how often root tables are swept for deleted rows; zero for never
 * @param sweepFile where the sweep keeps the document ids it knows of
 * @param deletionsTable the trigger-fed table of deleted and updated rows' old values, if wanted
 */
public record PollingSettings(DataSource source, Duration pollInterval, int pageSize,
        Map<TableRef, String> cursorColumns, Object lookback, StateKind state, TableRef stateTable, String stateName,
        Path stateFile, Duration sweepInterval, Path sweepFile, Optional<TableRef> deletionsTable) {

    /** Where the confirmed position lives. */
    public enum StateKind {
        /** a table in the source database, created when missing */
        TABLE,
        /** a local file, for roles that may only read */
        FILE
    }

    /** Keys of the wal capture that a [source] section may still hold when it switches to polling. */
    static final Set<String> WAL_KEYS = Set.of("slot", "publication", "manage_publication", "status_interval",
            "heartbeat_interval");
    static final Set<String> KEYS = Stream.of(Set.of("connection_url", "poll_interval", "page_size", "cursor_columns",
            "cursor_lookback", "state", "state_table", "state_name", "state_file", "sweep_interval", "sweep_file",
            "deletions_table"), ConnectionTarget.TLS_KEYS, WAL_KEYS).flatMap(Collection::stream)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * @param settings the {@code [source]} section
     * @return the settings
     * @throws ConfigurationException naming the key at fault
     */
    public static PollingSettings from(Settings settings) {
        settings.rejectUnknownKeys(KEYS);
        DataSource source = PostgresConnections.dataSource(ConnectionTarget.from(settings));
        Duration interval = settings.duration("poll_interval", Duration.ofSeconds(1));
        if (interval.isNegative() || interval.isZero()) {
            throw new ConfigurationException(where(settings, "poll_interval") + " must be positive, such as \"1s\"");
        }
        int pageSize = settings.integer("page_size", 5000);
        if (pageSize < 1) {
            throw new ConfigurationException(where(settings, "page_size") + " must be at least 1");
        }
        Settings columns = settings.section("cursor_columns");
        Map<TableRef, String> cursorColumns = new LinkedHashMap<>();
        for (String table : columns.keys()) {
            cursorColumns.put(TableRef.parse(table, "public"), columns.requireString(table));
        }
        Object lookback = lookback(settings);
        StateKind state = switch (settings.string("state", "table")) {
            case "table" -> StateKind.TABLE;
            case "file" -> StateKind.FILE;
            default -> throw new ConfigurationException(where(settings, "state") + " must be \"table\" (a table in the"
                    + " source database) or \"file\" (a local file, for read-only roles)");
        };
        Path stateFile = settings.string("state_file").map(Path::of).orElse(null);
        if (state == StateKind.FILE && stateFile == null) {
            throw new ConfigurationException(where(settings, "state_file") + " is required with state = \"file\": expected"
                    + " the path of the file that keeps the confirmed cursors");
        }
        String stateName = settings.string("state_name", "flusso");
        if (stateName.isBlank()) {
            throw new ConfigurationException(where(settings, "state_name") + " must not be blank");
        }
        Duration sweep = settings.duration("sweep_interval", Duration.ZERO);
        Path sweepFile = settings.string("sweep_file").map(Path::of)
                .orElse(stateFile == null ? null : Path.of(stateFile + ".ids"));
        if (!sweep.isZero() && !sweep.isNegative() && sweepFile == null) {
            throw new ConfigurationException(where(settings, "sweep_file") + " is required when 'sweep_interval' is set and"
                    + " state = \"table\": expected the path of the file where the sweep keeps the ids it knows of");
        }
        return new PollingSettings(source, interval, pageSize, Map.copyOf(cursorColumns), lookback, state,
                TableRef.parse(settings.string("state_table", "flusso_polling_state"), "public"), stateName, stateFile,
                sweep.isNegative() ? Duration.ZERO : sweep, sweepFile,
                settings.string("deletions_table").map(name -> TableRef.parse(name, "public")));
    }

    private static Object lookback(Settings settings) {
        Object raw = settings.asMap().get("cursor_lookback");
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number) {
            long value = settings.longValue("cursor_lookback", 0);
            if (value < 0) {
                throw new ConfigurationException(where(settings, "cursor_lookback") + " must not be negative");
            }
            return value;
        }
        Duration duration = settings.duration("cursor_lookback", Duration.ZERO);
        if (duration.isNegative()) {
            throw new ConfigurationException(where(settings, "cursor_lookback") + " must not be negative");
        }
        return duration;
    }

    /** {@return whether the sweep runs} */
    public boolean sweeps() {
        return !sweepInterval.isZero();
    }

    static String where(Settings settings, String key) {
        return "[" + settings.section() + "] key '" + key + "'";
    }
}
