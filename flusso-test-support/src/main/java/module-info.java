/**
 * Test support for Flusso and its plugins: in-memory fakes of the four edges over a fake database with a change
 * log, and a crash plan that makes any of them fail at a chosen point. For tests only; never shipped.
 */
module dev.flusso.testing {
    requires transitive dev.flusso.api;

    exports dev.flusso.testing;
}
