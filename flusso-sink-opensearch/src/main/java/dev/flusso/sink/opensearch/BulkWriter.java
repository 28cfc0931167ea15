package dev.flusso.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Rejection;
import dev.flusso.api.RetriableException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends operations as bulk requests bounded by count and bytes, and classifies each item's result. Items refused
 * for load are sent again after a wait, up to {@code maxRetries} rounds; what is still refused then stays with the
 * caller, which raises a retriable flush error.
 */
final class BulkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);
    private static final String NDJSON = "application/x-ndjson";

    private final Connection connection;
    private final int batchSize;
    private final long maxBytes;
    private final int maxRetries;
    private final Map<String, String> query;

    BulkWriter(Connection connection, int batchSize, long maxBytes, int maxRetries, Optional<String> pipeline) {
        this.connection = connection;
        this.batchSize = batchSize;
        this.maxBytes = maxBytes;
        this.maxRetries = maxRetries;
        Map<String, String> params = new LinkedHashMap<>();
        // Only what classification needs: the answer to a large bulk request stays small.
        params.put("filter_path", "errors,items.*.status,items.*.error.type,items.*.error.reason");
        pipeline.ifPresent(name -> params.put("pipeline", name));
        this.query = Map.copyOf(params);
    }

    /**
     * Sends the operations. On return every one is durable or listed in {@code rejections}.
     *
     * @param operations what to send; on a failure, replaced by what is not yet durable
     * @param rejections where refused items are added
     * @throws RetriableException when requests fail transiently, or items are still refused for load after the
     *     last round; {@code operations} then holds what remains
     * @throws FlussoException when the destination refuses a request for good
     */
    void send(List<BulkOperation> operations, List<Rejection> rejections) {
        List<BulkOperation> pending = new ArrayList<>(operations);
        for (int round = 0; ; round++) {
            List<BulkOperation> again = new ArrayList<>();
            String reason = null;
            int next = 0;
            while (next < pending.size()) {
                int end = chunkEnd(pending, next);
                try {
                    String refused = sendChunk(pending.subList(next, end), again, rejections);
                    reason = reason == null ? refused : reason;
                } catch (FlussoException e) {
                    keep(operations, again, pending.subList(next, pending.size()));
                    throw e;
                }
                next = end;
            }
            if (again.isEmpty()) {
                operations.clear();
                return;
            }
            if (round >= maxRetries) {
                keep(operations, again, List.of());
                throw new RetriableException(again.size() + " bulk items were refused after " + (round + 1) + " attempts: "
                        + explained(reason));
            }
            java.time.Duration wait = connection.waitBefore(round + 1);
            LOG.warn("{} bulk items refused ({}), sending them again in {} ms", again.size(), explained(reason),
                    wait.toMillis());
            Connection.sleep(wait);
            pending = again;
        }
    }

    /**
     * {@return the reason an item was refused, with what lifts an index block} OpenSearch sets
     * {@code read_only_allow_delete} itself when a node's disk passes the flood-stage watermark; it lifts it once the
     * disk is below the high watermark again (or an operator does), and the writes are retried until then.
     */
    static String explained(String reason) {
        if (reason == null) {
            return "refused for load or failed on the server";
        }
        if (reason.contains("read_only_allow_delete") || reason.contains("read-only-allow-delete")) {
            return reason + " (the index has the block index.blocks.read_only_allow_delete, which OpenSearch sets when a"
                    + " disk passes its flood-stage watermark: free disk space, or lift the block once it has; the writes"
                    + " wait for it as for an outage)";
        }
        if (reason.startsWith("cluster_block_exception")) {
            return reason + " (an index or cluster block refuses writes: the writes wait for an operator to lift it, as"
                    + " for an outage)";
        }
        return reason;
    }

    private static void keep(List<BulkOperation> operations, List<BulkOperation> again, List<BulkOperation> unsent) {
        List<BulkOperation> remaining = new ArrayList<>(again);
        remaining.addAll(unsent);
        operations.clear();
        operations.addAll(remaining);
    }

    private int chunkEnd(List<BulkOperation> pending, int start) {
        long bytes = 0;
        int end = start;
        while (end < pending.size() && end - start < batchSize) {
            long size = pending.get(end).lines().length;
            // A single operation larger than max_bytes goes alone.
            if (end > start && bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end++;
        }
        return end;
    }

    /** {@return the reason of the first item refused for now, or null} */
    private String sendChunk(List<BulkOperation> chunk, List<BulkOperation> again, List<Rejection> rejections) {
        int size = 0;
        for (BulkOperation operation : chunk) {
            size += operation.lines().length;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        for (BulkOperation operation : chunk) {
            body.writeBytes(operation.lines());
        }
        Reply reply = connection.send("POST", "/_bulk", query, body.toByteArray(), NDJSON);
        if (!reply.ok()) {
            throw new FlussoException("bulk request of " + chunk.size() + " items refused: OpenSearch answered HTTP "
                    + reply.status() + " " + reply.error() + (reply.status() == 413 ? " (lower max_bytes)" : ""));
        }
        JsonNode answer = reply.json();
        if (!answer.path("errors").asBoolean(false)) {
            return null;
        }
        String refused = null;
        JsonNode items = answer.path("items");
        if (items.size() != chunk.size()) {
            throw new FlussoException("bulk answer has " + items.size() + " items for " + chunk.size() + " operations");
        }
        for (int i = 0; i < chunk.size(); i++) {
            JsonNode item = items.get(i).elements().next();
            BulkOperation operation = chunk.get(i);
            switch (ItemOutcome.of(item)) {
                case DONE -> { }
                case RETRY -> {
                    again.add(operation);
                    refused = refused == null ? ItemOutcome.reason(item) : refused;
                }
                case REJECTED -> rejections.add(new Rejection(operation.document(), ItemOutcome.reason(item)));
                case FAILED -> throw new FlussoException("document '" + operation.document().id() + "' cannot be written: "
                        + ItemOutcome.reason(item));
            }
        }
        return refused;
    }
}
