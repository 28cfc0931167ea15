/**
 * The {@code wal} capture: PostgreSQL logical replication with the built-in {@code pgoutput} plugin. It manages its
 * publication and replication slot, decodes the stream into changes whose version is their transaction's commit
 * LSN, confirms only whole transactions, and snapshots root tables for backfill with the builder's keyset paging
 * ({@code dev.flusso.postgres.KeysetPager}).
 *
 * <p>Exports nothing: the engine finds it through its provider, named {@code wal}. pgjdbc has no module descriptor
 * of its own; it is required by its automatic module name.
 */
module dev.flusso.source.wal {
    requires dev.flusso.api;
    requires dev.flusso.postgres;
    requires java.sql;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    provides dev.flusso.api.spi.CaptureProvider with dev.flusso.source.wal.WalCaptureProvider;
}
