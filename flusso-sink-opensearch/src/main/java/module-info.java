/**
 * The {@code opensearch} sink. Exports nothing; found through its provider.
 *
 * <p>opensearch-java and the Apache HTTP client ship without module descriptors: they are required here by their
 * automatic module names.
 */
module dev.flusso.sink.opensearch {
    requires dev.flusso.api;
    requires opensearch.java;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
    // Needed by opensearch-java and httpclient5, which as automatic modules cannot say so: without these lines,
    // `java --module dev.flusso.cli/...` resolves neither, and the sink fails at start with NoClassDefFoundError.
    requires jakarta.json;
    requires org.apache.commons.logging;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    provides dev.flusso.api.spi.SinkProvider with dev.flusso.sink.opensearch.OpenSearchSinkProvider;
}
