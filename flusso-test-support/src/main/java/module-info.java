/**
 * Test support for Flusso and its plugins; never shipped.
 *
 * <ul>
 *   <li>{@link dev.flusso.testing}: in-memory fakes of the four edges over a fake database with a change log, a
 *       crash plan that makes any of them fail at a chosen point, and byte edits that make valid input malformed.
 *   <li>{@link dev.flusso.testing.postgres}: a private PostgreSQL cluster started from the installed server
 *       binaries, once per test run.
 *   <li>{@link dev.flusso.testing.opensearch}: a real OpenSearch server from Maven Central, once per test run.
 *   <li>{@link dev.flusso.testing.kafka}: a real single-node KRaft Kafka broker from Maven Central, once per test run.
 *   <li>{@link dev.flusso.testing.process}: what the harnesses share: free ports, an unprivileged user when run as
 *       root, processes stopped when the test JVM exits.
 * </ul>
 */
module dev.flusso.testing {
    requires transitive dev.flusso.api;
    requires transitive java.sql;
    requires java.net.http;
    requires org.postgresql.jdbc;

    exports dev.flusso.testing;
    exports dev.flusso.testing.process;
    exports dev.flusso.testing.opensearch;
    exports dev.flusso.testing.kafka;
    exports dev.flusso.testing.postgres;
}
