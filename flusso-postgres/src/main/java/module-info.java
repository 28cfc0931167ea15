/**
 * Flusso's PostgreSQL document builder: every feature of the index schema built in SQL, resolve by walking each
 * path up to the root with one query per table per batch, the live-database check, and keyset paging of a root
 * table's keys for backfill.
 *
 * <p>Exports a small API in {@code dev.flusso.postgres} because the CLI and the PostgreSQL captures, which live in
 * modules of their own, need the check, the paging and the connection handling; SQL generation stays internal.
 */
module dev.flusso.postgres {
    requires transitive dev.flusso.api;
    requires transitive dev.flusso.schema;
    requires transitive java.sql;
    requires java.naming;
    requires org.postgresql.jdbc;

    exports dev.flusso.postgres;

    provides dev.flusso.api.spi.BuilderProvider with dev.flusso.postgres.PostgresBuilderProvider;
}
