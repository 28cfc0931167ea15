/**
 * A private PostgreSQL cluster for tests: {@link dev.flusso.testing.postgres.PostgresServer#shared()} starts one per
 * test JVM from the installed server binaries, and {@link dev.flusso.testing.postgres.PostgresServer#createDatabase()}
 * gives each test a database of its own.
 */
package dev.flusso.testing.postgres;
