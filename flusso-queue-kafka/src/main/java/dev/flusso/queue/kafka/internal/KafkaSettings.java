package dev.flusso.queue.kafka.internal;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [queue]} section of a {@code kafka} queue, checked completely when the queue is made.
 *
 * @param bootstrapServers {@code host:port} list the clients start from
 * @param topic the changes topic
 * @param deadLetterTopic where unreadable records go
 * @param partitions the partition count a missing topic is created with
 * @param replicationFactor the replication factor a missing topic is created with, or -1 for the broker's default
 * @param groupId the workers' consumer group
 * @param capacity changes the capture side may have sent but not yet seen acknowledged by the broker
 * @param common client properties every client gets (security, timeouts), as written
 * @param producer properties for the capture side's producer only
 * @param consumer properties for the workers' consumer only
 */
public record KafkaSettings(
        String bootstrapServers,
        String topic,
        String deadLetterTopic,
        int partitions,
        short replicationFactor,
        String groupId,
        int capacity,
        Map<String, String> common,
        Map<String, String> producer,
        Map<String, String> consumer) {

    /** Default in-flight bound: a few producer batches' worth, small enough that capture's memory stays bounded. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private static final Set<String> KEYS = Set.of("bootstrap_servers", "topic", "dead_letter_topic", "partitions",
            "replication_factor", "group_id", "capacity", "client", "producer", "consumer");

    /** Properties the queue's guarantees rest on: a section may not override them. */
    private static final Set<String> FIXED = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "enable.idempotence", "acks", "enable.auto.commit", "group.id",
            "auto.offset.reset", "transactional.id");

    public KafkaSettings {
        common = Map.copyOf(common);
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
    }

    /**
     * @param settings the {@code [queue]} section, without its {@code type}
     * @return the settings
     * @throws ConfigurationException naming the section and key at fault
     */
    public static KafkaSettings read(Settings settings) {
        settings.rejectUnknownKeys(KEYS);
        List<String> servers = settings.strings("bootstrap_servers");
        if (servers.isEmpty() || servers.stream().anyMatch(String::isBlank)) {
            throw new ConfigurationException("[" + settings.section() + "] key 'bootstrap_servers' is required: expected "
                    + "\"host:port\" or a list of them");
        }
        String topic = topicName(settings, "topic", settings.string("topic", "flusso-changes"));
        String deadLetter = topicName(settings, "dead_letter_topic", settings.string("dead_letter_topic", topic + ".dead-letter"));
        if (deadLetter.equals(topic)) {
            throw new ConfigurationException("[" + settings.section() + "] key 'dead_letter_topic' names the changes topic "
                    + "itself: expected another topic");
        }
        int partitions = settings.integer("partitions", 6);
        if (partitions < 1) {
            throw new ConfigurationException("[" + settings.section() + "] key 'partitions' must be at least 1");
        }
        int replication = settings.integer("replication_factor", -1);
        if (replication == 0 || replication < -1 || replication > Short.MAX_VALUE) {
            throw new ConfigurationException("[" + settings.section() + "] key 'replication_factor' must be at least 1 "
                    + "(or -1 for the broker's default)");
        }
        String group = settings.string("group_id", "flusso");
        if (group.isBlank()) {
            throw new ConfigurationException("[" + settings.section() + "] key 'group_id' must not be blank");
        }
        int capacity = settings.integer("capacity", DEFAULT_CAPACITY);
        if (capacity < 1) {
            throw new ConfigurationException("[" + settings.section() + "] key 'capacity' must be at least 1");
        }
        return new KafkaSettings(String.join(",", servers), topic, deadLetter, partitions, (short) replication, group,
                capacity, properties(settings.section("client")), properties(settings.section("producer")),
                properties(settings.section("consumer")));
    }

    private static String topicName(Settings settings, String key, String name) {
        if (!name.matches("[a-zA-Z0-9._-]{1,249}") || name.equals(".") || name.equals("..")) {
            throw new ConfigurationException("[" + settings.section() + "] key '" + key + "' is not a valid Kafka topic "
                    + "name: expected 1 to 249 letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    /** Client properties as written: dotted Kafka names, values of any scalar type or {@code { env = "VAR" }}. */
    private static Map<String, String> properties(Settings section) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String key : section.keys()) {
            if (FIXED.contains(key)) {
                throw new ConfigurationException("[" + section.section() + "] key '" + key + "' is set by the kafka queue "
                        + "itself, because its delivery guarantees rest on it: remove it");
            }
            Object raw = section.asMap().get(key);
            String value = raw instanceof Map<?, ?> || raw instanceof String ? section.requireString(key) : String.valueOf(raw);
            properties.put(key, value);
        }
        return properties;
    }

    /** {@return the properties of the capture side's producer} */
    public Map<String, Object> producerProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("linger.ms", "5");
        properties.put("batch.size", "65536");
        properties.put("max.block.ms", "60000");
        properties.putAll(common);
        properties.putAll(producer);
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("enable.idempotence", "true");
        properties.put("acks", "all");
        properties.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        properties.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        return properties;
    }

    /** {@return the properties of a worker's consumer} */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(common);
        properties.putAll(consumer);
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("group.id", groupId);
        properties.put("enable.auto.commit", "false");
        properties.put("auto.offset.reset", "earliest");
        properties.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        properties.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        return properties;
    }

    /** {@return the properties of the dead-letter producer: like the capture side's, unbatched} */
    public Map<String, Object> deadLetterProperties() {
        Map<String, Object> properties = producerProperties();
        properties.put("linger.ms", "0");
        return properties;
    }

    /** {@return the properties of the admin client that creates topics and reads group offsets} */
    public Map<String, Object> adminProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(common);
        properties.put("bootstrap.servers", bootstrapServers);
        return properties;
    }

    /** {@return how long closing waits for the clients} */
    public Duration closeTimeout() {
        return Duration.ofSeconds(10);
    }
}
