/**
 * The {@code polling} capture: change capture by polling PostgreSQL tables, for databases where logical replication
 * is not allowed (managed databases, read replicas, roles without {@code REPLICATION}). Each table's cursor is a
 * transaction snapshot: a poll emits the rows written by transactions that committed between the previous snapshot
 * and a new one, so a transaction committing after a later one is never skipped. Backfill pages root keys with
 * flusso-postgres's keyset pager.
 *
 * <p>Exports nothing: the engine finds it through its provider, named {@code polling}. pgjdbc has no module
 * descriptor of its own; it is required by its automatic module name.
 */
module dev.flusso.source.polling {
    requires dev.flusso.api;
    requires dev.flusso.postgres;
    requires java.sql;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    provides dev.flusso.api.spi.CaptureProvider with dev.flusso.source.polling.PollingCaptureProvider;
}
