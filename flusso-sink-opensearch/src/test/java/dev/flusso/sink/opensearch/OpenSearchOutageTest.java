package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.DocumentId;
import dev.flusso.api.FlushResult;
import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import dev.flusso.testing.opensearch.OpenSearchServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared server stopped under a flush, and started again on the same port and data. */
class OpenSearchOutageTest {

    private static final String PREFIX = "outage_";

    @AfterEach
    void serverRunsAgain() {
        OpenSearchServer.shared();
    }

    @Test
    void flushFailsRetriablyWhileTheServerIsDownAndSucceedsOnceItIsBack() {
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config(PREFIX, Map.of("max_retries", 2, "timeout_secs", 5)))) {
            sink.ensureIndex(Definitions.items("down", "f1"));
            TestCluster.server().stop();
            for (int i = 0; i < 100; i++) {
                sink.write(Definitions.item("down", "d" + i, 1, i));
            }

            assertThrows(RetriableException.class, sink::flush, "a flush to a stopped server is a retriable flush error");

            TestCluster.server().start();
            assertEquals(FlushResult.clean(), sink.flush(), "the same flush, retried, succeeds once the server is back");
            for (int i = 0; i < 100; i++) {
                assertTrue(TestCluster.read(PREFIX, new DocumentId("down", "d" + i)).isPresent(), "document d" + i + " after the retry");
            }
        }
    }

    @Test
    void aFlushReportedDurableIsDurableWhenTheServerStopsUnderIt() throws Exception {
        try (OpenSearchSink sink = TestCluster.sink(TestCluster.config(PREFIX, Map.of("max_retries", 1, "timeout_secs", 5, "batch_size", 200)))) {
            sink.ensureIndex(Definitions.items("midflush", "f1"));
            int documents = 20_000;
            for (int i = 0; i < documents; i++) {
                sink.write(Definitions.item("midflush", "m" + i, 1, i));
            }

            CompletableFuture<FlushResult> flush = CompletableFuture.supplyAsync(sink::flush);
            Thread.sleep(300);
            TestCluster.server().stop();
            FlushResult result = null;
            try {
                result = flush.get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof FlussoException, "a failed flush throws a FlussoException: " + e.getCause());
            }
            TestCluster.server().start();

            if (result == null) {
                // Not durable: the engine retries the same flush; it must then complete.
                result = sink.flush();
            }
            assertEquals(FlushResult.clean(), result);
            TestCluster.http().refresh(PREFIX + "midflush");
            long count = TestCluster.json(TestCluster.http().get("/" + PREFIX + "midflush/_count"), "count").path("count").asLong();
            assertEquals(documents, count, "every document of a flush reported durable is in the index");
        }
    }
}
