package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlushResult;
import dev.flusso.api.spi.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code compression = true}: bodies are gzip-compressed once, answers read as usual. */
class CompressionTest {

    private static final String PREFIX = "gzip_";

    @Test
    void compressedWritesRejectionsAndStateWorkAgainstTheRealServer() {
        // The transport's own compression also asked for gzip answers, which its generic API handed back still
        // compressed: ensureIndex on a fresh destination failed on an unreadable 404.
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config(PREFIX, Map.of("compression", true)))) {
            sink.ensureIndex(Definitions.items("zipped", "f1"));
            for (int i = 0; i < 200; i++) {
                sink.write(Definitions.item("zipped", "z" + i, 1, i));
            }
            sink.write(Document.upsert(new DocumentId("zipped", "poison"), 1, "{\"count\":\"not a number\"}"));

            FlushResult result = sink.flush();

            assertEquals(1, result.rejections().size(), "the poison document is the one rejection: " + result);
            assertTrue(result.rejections().get(0).reason().startsWith("mapper_parsing_exception"), result.toString());
            sink.markSeeded("zipped");
            assertTrue(sink.isSeeded("zipped"));
        }
        for (int i = 0; i < 200; i++) {
            assertTrue(TestCluster.read(PREFIX, new DocumentId("zipped", "z" + i)).isPresent(), "document z" + i);
        }
    }

    @Test
    void bulkBodiesAreSentGzippedAndSmallBodiesAsTheyAre() {
        String state = "{\"_source\":{\"index\":\"items\",\"active\":\"items_f1\",\"building\":null,\"seeded\":true}}";
        try (StubServer stub = new StubServer()) {
            stub.then(200, "{}").then(200, state).then(200, "{\"errors\":false}");
            SinkConfig config = SinkConfig.read(Settings.of("sinks.stub", Map.of("type", "opensearch", "url", stub.url(),
                    "compression", true)));
            try (OpenSearchSink sink = new OpenSearchSink(config, new Connection(Transports.create(config), config,
                    Duration.ofMillis(5)), Clock.systemUTC())) {
                for (int i = 0; i < 100; i++) {
                    sink.write(Definitions.item("items", "i" + i, 1, i));
                }
                assertEquals(FlushResult.clean(), sink.flush());
            }
            List<StubServer.Received> bulks = stub.received().stream().filter(r -> r.path().equals("/_bulk")).toList();
            assertEquals(1, bulks.size());
            assertEquals("gzip", bulks.get(0).contentEncoding(), "the bulk body is compressed");
            assertEquals(200, bulks.get(0).body().lines().count(), "and decompresses to the 100 operations");
            assertTrue(bulks.get(0).bytes() * 4 < bulks.get(0).body().length(), "compressed several times over: "
                    + bulks.get(0).bytes() + " of " + bulks.get(0).body().length() + " bytes");
            stub.received().stream().filter(r -> !r.path().equals("/_bulk") && r.body().length() < 1024)
                    .forEach(r -> assertNull(r.contentEncoding(), "a small body is sent as it is: " + r.path()));
        }
    }
}
