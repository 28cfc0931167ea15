package dev.flusso.queue.kafka.internal;

import dev.flusso.api.Change;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.Position;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.TableRef;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.queue.kafka.KafkaQueueProvider;
import dev.flusso.testing.kafka.KafkaServer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The shared broker, and queues on fresh topics and groups of it, so that tests never see each other's records. */
final class TestKafka {

    static final TableRef TABLE = new TableRef("public", "items");
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A position of the synthetic changes: their number in the stream. */
    record Seq(long n) implements Position {
    }

    private TestKafka() {
    }

    static KafkaServer server() {
        return KafkaServer.shared();
    }

    /** {@return a fresh topic-and-group name} */
    static String fresh(String what) {
        return what + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    /** {@return the [queue] values of a queue on the topic, with the group named after it} */
    static Map<String, Object> values(String topic, int partitions) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("bootstrap_servers", server().bootstrapServers());
        values.put("topic", topic);
        values.put("group_id", topic + "-group");
        values.put("partitions", partitions);
        return values;
    }

    /** {@return a queue made by the provider, as the engine makes it} */
    static KafkaChangeQueue queue(Map<String, Object> values) {
        ChangeQueue queue = new KafkaQueueProvider().create(ProviderContext.of(Settings.of("queue", values)));
        return (KafkaChangeQueue) queue;
    }

    static Change live(long n) {
        return Change.update(TABLE, Map.of("id", n), Map.of("id", n, "group_id", n % 7), Map.of("id", n, "group_id", (n + 1) % 7),
                n, new Seq(n));
    }

    static Change snapshot(long n) {
        return Change.snapshot(TABLE, Map.of("id", n), 0, new SnapshotPosition("items", Long.toString(n)));
    }

    static Admin admin() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", server().bootstrapServers());
        return Admin.create(properties);
    }

    /** Waits until the group has the given number of members, each with partitions assigned. */
    static void awaitMembers(String group, int members) {
        dev.flusso.testing.process.Waits.until("group '" + group + "' to have " + members + " members with partitions",
                java.time.Duration.ofSeconds(60), () -> {
                    try (Admin admin = admin()) {
                        var description = admin.describeConsumerGroups(java.util.List.of(group)).describedGroups().get(group)
                                .get(30, TimeUnit.SECONDS);
                        return description.members().size() == members
                                && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                });
    }

    /** {@return records in the topic not yet committed by the group, over all partitions} */
    static long lag(String topic, String group) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        }
    }
}
