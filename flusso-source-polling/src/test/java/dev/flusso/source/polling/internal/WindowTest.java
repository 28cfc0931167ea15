package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The window condition across xid wraparound, on synthetic 32-bit xmins: the previous snapshot is in epoch 0 just
 * before the wrap, the new one in epoch 1 just after it.
 */
class WindowTest {

    private static final long EPOCH = 1L << 32;

    @Test
    void selectsEveryTransactionThatMayHaveEndedBetweenTwoSnapshotsAcrossTheWrap() throws Exception {
        PostgresDatabase database = PostgresServer.shared().createDatabase();
        XidSnapshot from = XidSnapshot.parse((EPOCH - 6) + ":" + (EPOCH - 1) + ":" + (EPOCH - 4));
        XidSnapshot to = XidSnapshot.parse((EPOCH + 4) + ":" + (EPOCH + 14) + ":" + (EPOCH + 7));
        long[] xmins = {
            EPOCH - 7,   // below the previous snapshot's xmin: ended before it
            EPOCH - 4,   // running then, ended since: selected
            EPOCH - 3,   // ended before the previous snapshot, or a savepoint of one running then: selected
            EPOCH + 3,   // started and ended in between, past the wrap: selected
            EPOCH + 7,   // still running at the new snapshot
            EPOCH + 9,   // ended by the new snapshot: selected
            EPOCH + 16,  // began after the new snapshot (the query runs later)
        };
        List<Long> selected = new ArrayList<>();
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT t.full FROM (SELECT CAST(CAST(v % 4294967296 AS text) AS xid) AS xmin, v AS full"
                        + " FROM unnest(CAST(? AS bigint[])) AS v) AS t" + Window.lateral("t") + " WHERE " + Window.condition()
                        + " ORDER BY t.full")) {
            Long[] boxed = new Long[xmins.length];
            for (int i = 0; i < xmins.length; i++) {
                boxed[i] = xmins[i];
            }
            Array array = connection.createArrayOf("bigint", boxed);
            statement.setArray(1, array);
            Window.bind(statement, 2, from, to);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    selected.add(rows.getLong(1));
                }
            }
        }
        assertEquals(List.of(EPOCH - 4, EPOCH - 3, EPOCH + 3, EPOCH + 9), selected,
                "rows of transactions at or above the previous xmin, ended by the new snapshot");
        database.drop();
    }

    @Test
    void aCursorTooFarBehindReadsTheTableWhole() {
        XidSnapshot old = XidSnapshot.parse("100:100:");
        assertEquals(true, XidSnapshot.parse("200:200:").windowSafeAfter(old));
        assertEquals(false, XidSnapshot.parse((100 + (1L << 31)) + ":" + (100 + (1L << 31)) + ":").windowSafeAfter(old));
        assertEquals(false, old.windowSafeAfter(XidSnapshot.parse("500:500:")), "a cursor ahead of the server");
    }
}
