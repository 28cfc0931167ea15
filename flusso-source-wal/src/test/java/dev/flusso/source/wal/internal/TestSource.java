package dev.flusso.source.wal.internal;

import dev.flusso.api.IndexDefinition;
import dev.flusso.api.TableRef;
import dev.flusso.api.spi.Settings;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A test's own database, with a slot name of its own (slots are cluster-wide), and captures over it. */
final class TestSource {

    final PostgresDatabase database;
    final String slot;
    final Map<String, Object> settings = new LinkedHashMap<>();

    TestSource(String... ddl) {
        this(PostgresServer.shared(), ddl);
    }

    /** A database on a cluster of the test's own (other settings, TLS), instead of the shared one. */
    TestSource(PostgresServer server, String... ddl) {
        database = server.createDatabase();
        slot = "s_" + database.name().toLowerCase();
        settings.put("type", "postgres");
        settings.put("connection_url", database.url());
        settings.put("slot", slot);
        settings.put("status_interval", "1s");
        if (ddl.length > 0) {
            database.execute(ddl);
        }
    }

    TestSource with(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    WalSettings walSettings() {
        return WalSettings.from(Settings.of("source", settings));
    }

    WalCapture capture(IndexDefinition... indexes) {
        return new WalCapture(walSettings(), List.of(indexes));
    }

    static IndexDefinition index(String name, String root, String... children) {
        TableRef rootRef = TableRef.parse(root, "public");
        Set<TableRef> tables = new java.util.HashSet<>();
        tables.add(rootRef);
        for (String child : children) {
            tables.add(TableRef.parse(child, "public"));
        }
        return new IndexDefinition(name, rootRef, List.of("id"), tables, Map.of(), Map.of(), "f-" + name);
    }

    /** {@return the slot's confirmed_flush_lsn, or -1 when there is no such slot} */
    long confirmedFlush() {
        List<Map<String, Object>> rows = database.query(
                "SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        return rows.isEmpty() ? -1 : Lsn.parse((String) rows.get(0).get("lsn"));
    }

    long currentLsn() {
        return Lsn.parse((String) database.query("SELECT pg_current_wal_lsn()::text AS lsn").get(0).get("lsn"));
    }

    /** Drops the slot (once inactive) and the database. */
    void drop() {
        try {
            database.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                    + slot + "' AND NOT active");
        } catch (RuntimeException e) {
            // best effort
        }
    }
}
