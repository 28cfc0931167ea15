package dev.flusso.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.api.DocumentId;
import dev.flusso.api.spi.Settings;
import dev.flusso.testing.opensearch.HttpReply;
import dev.flusso.testing.opensearch.OpenSearchHttp;
import dev.flusso.testing.opensearch.OpenSearchServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The shared test server, and sinks and readers onto it. */
final class TestCluster {

    private TestCluster() {
    }

    static OpenSearchServer server() {
        return OpenSearchServer.shared();
    }

    static OpenSearchHttp http() {
        return server().http();
    }

    /** {@return the settings of a sink onto the shared server, with the given prefix and extra keys} */
    static SinkConfig config(String prefix, Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put("type", "opensearch");
        values.put("url", server().url().toString());
        values.put("prefix", prefix);
        values.put("refresh_interval", "1s");
        values.putAll(extra);
        return SinkConfig.read(Settings.of("sinks.test", values));
    }

    /** {@return a sink whose retries wait only a few milliseconds} */
    static OpenSearchSink sink(SinkConfig config) {
        return new OpenSearchSink(config, new Connection(Transports.create(config), config, Duration.ofMillis(20)),
                Clock.systemUTC());
    }

    static OpenSearchSink sink(String prefix) {
        return sink(config(prefix, Map.of()));
    }

    /** {@return the stored source of the document, read through the alias in real time} */
    static Optional<String> read(String prefix, DocumentId id) {
        HttpReply reply = http().get("/" + prefix + id.index() + "/_doc/" + IndexNames.segment(id.id()));
        if (reply.status() == 404) {
            return Optional.empty();
        }
        JsonNode answer = Json.read(reply.expectOk("GET of " + id).body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return answer.path("found").asBoolean() ? Optional.of(answer.path("_source").toString()) : Optional.empty();
    }

    static JsonNode json(HttpReply reply, String what) {
        return Json.read(reply.expectOk(what).body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
