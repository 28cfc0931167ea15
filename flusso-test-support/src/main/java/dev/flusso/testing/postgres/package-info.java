/**
 * A private PostgreSQL cluster for tests: {@link dev.flusso.testing.postgres.PostgresServer#shared()} starts one per
 * test JVM from the installed server binaries, and {@link dev.flusso.testing.postgres.PostgresServer#createDatabase()}
 * gives each test a database of its own. {@link dev.flusso.testing.postgres.PostgresServer#start(java.util.Map)} and
 * {@link dev.flusso.testing.postgres.PostgresServer#startWithTls(java.util.Map)} start extra clusters with other
 * settings, or accepting TLS connections only, with {@link dev.flusso.testing.postgres.Certificates} made at test time.
 */
package dev.flusso.testing.postgres;
