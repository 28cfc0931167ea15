package dev.flusso.bench;

import dev.flusso.testing.postgres.PostgresDatabase;

/** Small queries the workloads share. */
final class Sql {

    private Sql() {
    }

    static boolean slotActive(PostgresDatabase database, String slot) {
        var rows = database.query("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        return !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0).get("active"));
    }

    static void createSlot(PostgresDatabase database, String slot) {
        database.query("SELECT lsn FROM pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
    }

    static void dropSlot(PostgresDatabase database, String slot) {
        database.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
    }

    /** {@return the server's current WAL insert position, as text} */
    static String currentLsn(PostgresDatabase database) {
        return database.query("SELECT pg_current_wal_insert_lsn()::text AS lsn").get(0).get("lsn").toString();
    }

    /** Drops the database's slots that nothing streams from, so their WAL is not kept. */
    static void dropIdleSlots(PostgresDatabase database) {
        database.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE database = current_database() AND NOT active");
    }
}
