package dev.flusso.queue.kafka;

import dev.flusso.api.ChangeQueue;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.QueueProvider;
import dev.flusso.queue.kafka.internal.KafkaChangeQueue;
import dev.flusso.queue.kafka.internal.KafkaSettings;

/**
 * The {@code kafka} queue: a Kafka topic between a capture process and a consumer group of workers. Settings, in the
 * {@code [queue]} section: {@code bootstrap_servers} (required), {@code topic}, {@code dead_letter_topic},
 * {@code partitions}, {@code replication_factor}, {@code group_id}, {@code capacity}, and the tables {@code client},
 * {@code producer} and {@code consumer} of Kafka client properties passed through (security settings, timeouts).
 */
public final class KafkaQueueProvider implements QueueProvider {

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "Kafka topic between capture and a consumer group of workers; confirms once the broker holds a change";
    }

    @Override
    public ChangeQueue create(ProviderContext context) {
        return new KafkaChangeQueue(KafkaSettings.read(context.settings()));
    }
}
