/**
 * The reliability suite: scenarios that run the {@code flusso} command as a process against real PostgreSQL and
 * OpenSearch, and check the destination against an oracle. Open, so JUnit reaches the scenarios.
 */
open module dev.flusso.reliability {
    requires dev.flusso.testing;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.junit.jupiter.api;
}
