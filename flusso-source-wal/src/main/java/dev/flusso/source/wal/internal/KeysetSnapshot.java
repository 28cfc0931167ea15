package dev.flusso.source.wal.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.FlussoException;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Reads a root table's keys in key order, one page per statement, resuming after a checkpoint. Each page is its own
 * short statement: no long transaction holds back vacuum, and rows changed meanwhile are streamed afterwards
 * anyway (the slot exists before the first page is read). Keys are bound as parameters of unknown type, so the
 * server compares them as the key columns' own types.
 */
final class KeysetSnapshot {

    static final int PAGE = 5000;

    private final Connection connection;
    private final SnapshotRequest request;
    private final long version;

    KeysetSnapshot(Connection connection, SnapshotRequest request, long version) {
        this.connection = connection;
        this.request = request;
        this.version = version;
    }

    /**
     * Emits every row after the request's checkpoint.
     *
     * @param out where the rows go
     * @param stopped whether the capture was closed meanwhile
     */
    void run(ChangeEmitter out, BooleanSupplier stopped) throws InterruptedException {
        List<String> after = request.resumeAfter().map(Checkpoints::decode).orElse(null);
        if (after != null && after.size() != request.keyColumns().size()) {
            throw new FlussoException("the backfill checkpoint of index '" + request.index() + "' has " + after.size()
                    + " key values, but table '" + request.root() + "' has " + request.keyColumns().size()
                    + " key columns: the index's key changed; re-backfill it from the start");
        }
        while (!stopped.getAsBoolean()) {
            List<String> last = page(after, out);
            if (last == null) {
                return;
            }
            after = last;
        }
    }

    /** {@return the last key of the page, or null when the table is read} */
    private List<String> page(List<String> after, ChangeEmitter out) throws InterruptedException {
        String columns = request.keyColumns().stream().map(Sql::identifier).collect(Collectors.joining(", "));
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(Sql.table(request.root()));
        if (after != null) {
            sql.append(" WHERE (").append(columns).append(") > (")
                    .append(request.keyColumns().stream().map(c -> "?").collect(Collectors.joining(", "))).append(")");
        }
        sql.append(" ORDER BY ").append(columns).append(" LIMIT ").append(PAGE);
        List<String> last = null;
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            if (after != null) {
                for (int i = 0; i < after.size(); i++) {
                    statement.setObject(i + 1, after.get(i), Types.OTHER);
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                ResultSetMetaData meta = rows.getMetaData();
                int[] types = new int[request.keyColumns().size()];
                for (int i = 0; i < types.length; i++) {
                    types[i] = Values.oidOf(meta.getColumnTypeName(i + 1));
                }
                while (rows.next()) {
                    List<String> text = new ArrayList<>(types.length);
                    Map<String, Object> key = new LinkedHashMap<>();
                    for (int i = 0; i < types.length; i++) {
                        String value = rows.getString(i + 1);
                        text.add(value);
                        key.put(request.keyColumns().get(i), Values.convert(types[i], value));
                    }
                    out.put(Change.snapshot(request.root(), key, version,
                            new SnapshotPosition(request.index(), Checkpoints.encode(text))));
                    last = text;
                }
            }
        } catch (SQLException e) {
            throw SourceDatabase.failed("reading the keys of '" + request.root() + "' for index '" + request.index() + "'", e);
        }
        return last;
    }
}
