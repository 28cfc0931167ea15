package dev.flusso.sink.opensearch;

import dev.flusso.api.Sink;
import dev.flusso.sink.testkit.DocumentReader;
import dev.flusso.sink.testkit.SinkVerification;

/** The OpenSearch sink against the sink kit, on the shared test server: every capability on. */
class OpenSearchSinkConformanceTest extends SinkVerification {

    private static final String PREFIX = "kit_";

    @Override
    protected Sink createSink() {
        return TestCluster.sink(PREFIX);
    }

    @Override
    protected DocumentReader reader() {
        return id -> TestCluster.read(PREFIX, id);
    }
}
