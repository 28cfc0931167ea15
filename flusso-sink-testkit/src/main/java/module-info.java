/**
 * The sink conformance kit: extend {@link dev.flusso.sink.testkit.SinkVerification} in a sink module's tests.
 */
module dev.flusso.sink.testkit {
    requires transitive dev.flusso.api;
    requires transitive org.junit.jupiter.api;
    requires com.fasterxml.jackson.databind;

    exports dev.flusso.sink.testkit;
}
