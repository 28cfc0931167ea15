/**
 * The {@code stdout} sink: every document and deletion as one NDJSON line. Exports nothing; found through its
 * provider.
 */
module dev.flusso.sink.stdout {
    requires dev.flusso.api;

    provides dev.flusso.api.spi.SinkProvider with dev.flusso.sink.stdout.StdoutSinkProvider;
}
