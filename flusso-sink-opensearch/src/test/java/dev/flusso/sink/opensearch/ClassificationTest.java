package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import dev.flusso.api.spi.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers a real server cannot be made to give on demand, from a scripted stub. */
class ClassificationTest {

    private static final String STATE = "{\"_source\":{\"index\":\"items\",\"active\":\"items_f1\",\"building\":null,\"seeded\":true}}";
    private static final String SECRET = "s3cr3t-Pa55";

    @Test
    void itemsRefusedForLoadAreSentAgainAloneAndThenSucceed() {
        try (StubServer stub = new StubServer()) {
            stub.then(200, "{}").then(200, STATE)
                    .then(200, "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":429,"
                            + "\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}}},"
                            + "{\"index\":{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"newer\"}}}]}")
                    .then(200, "{\"errors\":false}");
            try (OpenSearchSink sink = sink(stub, Map.of())) {
                sink.write(Definitions.item("items", "1", 1, 1));
                sink.write(Definitions.item("items", "2", 1, 2));
                sink.write(Definitions.item("items", "3", 1, 3));

                assertEquals(FlushResult.clean(), sink.flush(), "a 429 item retried to success and a version conflict are no rejections");
            }
            List<StubServer.Received> bulks = stub.received().stream().filter(r -> r.path().equals("/_bulk")).toList();
            assertEquals(2, bulks.size(), "one bulk request, then one retry");
            assertEquals(2, bulks.get(1).body().lines().count(), "the retry carries only the refused item: " + bulks.get(1).body());
            assertTrue(bulks.get(1).body().contains("\"_id\":\"2\""), "the retry carries item 2: " + bulks.get(1).body());
        }
    }

    @Test
    void itemsStillRefusedForLoadAfterTheRetriesAreARetriableFlushErrorAndStayBuffered() {
        String refused = "{\"errors\":true,\"items\":[{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\"}}}]}";
        try (StubServer stub = new StubServer()) {
            stub.then(200, "{}").then(200, STATE).then(200, refused).then(200, refused).then(200, "{\"errors\":false}");
            try (OpenSearchSink sink = sink(stub, Map.of("max_retries", 1))) {
                sink.write(Definitions.item("items", "1", 1, 1));

                assertThrows(RetriableException.class, sink::flush, "429 after every retry");
                assertEquals(FlushResult.clean(), sink.flush(), "the engine's next attempt sends the kept item");
            }
            assertEquals(3, stub.received().stream().filter(r -> r.path().equals("/_bulk")).count());
        }
    }

    @Test
    void serverErrorsAreRetriedThenRaisedAsRetriable() {
        try (StubServer stub = new StubServer()) {
            stub.then(200, "{}").then(200, STATE).then(503, "{\"error\":{\"type\":\"unavailable\",\"reason\":\"busy\"}}")
                    .then(502, "bad gateway").then(503, "{}");
            try (OpenSearchSink sink = sink(stub, Map.of("max_retries", 2))) {
                sink.write(Definitions.item("items", "1", 1, 1));

                RetriableException failure = assertThrows(RetriableException.class, sink::flush);
                assertTrue(failure.getMessage().contains("after 3 attempts"), failure.getMessage());
            }
        }
    }

    @Test
    void aRefusedRequestFailsTheFlushWithoutShowingTheCredentials() {
        try (StubServer stub = new StubServer()) {
            stub.then(200, "{}").then(200, STATE).then(401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication\"}}");
            try (OpenSearchSink sink = sink(stub, Map.of("username", "flusso", "password", SECRET))) {
                sink.write(Definitions.item("items", "1", 1, 1));

                FlussoException failure = assertThrows(FlussoException.class, sink::flush);
                assertFalse(failure instanceof RetriableException, "refused credentials will not pass by waiting: " + failure + stub.received());
                assertFalse(failure.getMessage().contains(SECRET), "the password must not appear: " + failure.getMessage());
            }
            assertTrue(stub.received().get(2).authorization().startsWith("Basic "), "credentials are sent pre-emptively");
        }
    }

    @Test
    void negativeVersionsAreRejectedWithoutSendingThem() {
        try (StubServer stub = new StubServer()) {
            stub.then(200, "{}").then(200, STATE);
            try (OpenSearchSink sink = sink(stub, Map.of())) {
                sink.write(Document.upsert(new DocumentId("items", "x"), -1, "{}"));

                FlushResult result = sink.flush();

                assertEquals(1, result.rejections().size(), "the negative version is a rejection: " + result);
            }
            assertTrue(stub.received().stream().noneMatch(r -> r.path().equals("/_bulk")), "nothing to send");
        }
    }

    private static OpenSearchSink sink(StubServer stub, Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>(Map.of("type", "opensearch", "url", stub.url()));
        values.putAll(extra);
        SinkConfig config = SinkConfig.read(Settings.of("sinks.stub", values));
        return new OpenSearchSink(config, new Connection(Transports.create(config), config, Duration.ofMillis(5)),
                Clock.systemUTC());
    }
}
