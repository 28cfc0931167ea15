package dev.flusso.queue.kafka.internal;

import dev.flusso.api.Position;

/**
 * Where a live change stands on the worker side: its record's place in the topic. Workers never confirm positions
 * (the capture side does, once the broker holds the change), so this only names the record in messages.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset
 */
public record KafkaPosition(String topic, int partition, long offset) implements Position {

    @Override
    public String toString() {
        return "topic '" + topic + "', partition " + partition + ", offset " + offset;
    }
}
