package dev.flusso.sink.opensearch;

import dev.flusso.api.Sink;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.SinkProvider;
import java.time.Duration;

/** The {@code opensearch} sink. Reads its section now; connects only when the engine ensures the first index. */
public final class OpenSearchSinkProvider implements SinkProvider {

    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public String description() {
        return "OpenSearch indexes behind aliases, with versioned bulk writes and state kept in the cluster";
    }

    @Override
    public Sink create(ProviderContext context) {
        SinkConfig config = SinkConfig.read(context.settings());
        // The transport opens connections lazily, on the first request.
        Connection connection = new Connection(Transports.create(config), config, Duration.ofMillis(200));
        return new OpenSearchSink(config, connection, context.clock());
    }
}
