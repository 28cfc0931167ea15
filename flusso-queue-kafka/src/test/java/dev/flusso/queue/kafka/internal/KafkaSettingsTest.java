package dev.flusso.queue.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void readsEverySettingWithItsDefaults() {
        KafkaSettings settings = KafkaSettings.read(Settings.of("queue", Map.of("bootstrap_servers", List.of("a:9092", "b:9092"))));
        assertEquals("a:9092,b:9092", settings.bootstrapServers());
        assertEquals("flusso-changes", settings.topic());
        assertEquals("flusso-changes.dead-letter", settings.deadLetterTopic());
        assertEquals(6, settings.partitions());
        assertEquals("flusso", settings.groupId());
        assertEquals(KafkaSettings.DEFAULT_CAPACITY, settings.capacity());
        assertEquals("all", settings.producerProperties().get("acks"));
        assertEquals("true", settings.producerProperties().get("enable.idempotence"));
        assertEquals("false", settings.consumerProperties().get("enable.auto.commit"));
    }

    @Test
    void passesSecuritySettingsThroughReadingSecretsFromTheEnvironment() {
        Map<String, Object> values = Map.of("bootstrap_servers", "k:9093",
                "client", Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                        "sasl.jaas.config", Map.of("env", "KAFKA_JAAS")),
                "consumer", Map.of("max.poll.interval.ms", 600000));
        KafkaSettings settings = KafkaSettings.read(Settings.of("queue", values, name -> name.equals("KAFKA_JAAS") ? "secret" : null));
        assertEquals("SASL_SSL", settings.producerProperties().get("security.protocol"));
        assertEquals("secret", settings.consumerProperties().get("sasl.jaas.config"));
        assertEquals("secret", settings.adminProperties().get("sasl.jaas.config"));
        assertEquals("600000", settings.consumerProperties().get("max.poll.interval.ms"));
        assertFalse(settings.producerProperties().containsKey("max.poll.interval.ms"), "consumer settings stay with the consumer");
    }

    @Test
    void refusesWhatWouldBreakTheGuaranteesNamingSectionAndKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> KafkaSettings.read(Settings.of("queue",
                Map.of("bootstrap_servers", "k:9092", "producer", Map.of("acks", "1")))));
        assertTrue(e.getMessage().contains("[queue.producer] key 'acks'"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> KafkaSettings.read(Settings.of("queue",
                Map.of("bootstrap_servers", "k:9092", "consumer", Map.of("enable.auto.commit", true)))));
        assertTrue(e.getMessage().contains("'enable.auto.commit'"), e.getMessage());
    }

    @Test
    void refusesMissingServersBadTopicsAndUnknownKeys() {
        assertTrue(assertThrows(ConfigurationException.class, () -> KafkaSettings.read(Settings.of("queue", Map.of())))
                .getMessage().contains("[queue] key 'bootstrap_servers' is required"));
        assertTrue(assertThrows(ConfigurationException.class, () -> KafkaSettings.read(Settings.of("queue",
                Map.of("bootstrap_servers", "k:1", "topic", "no spaces")))).getMessage().contains("key 'topic'"));
        assertTrue(assertThrows(ConfigurationException.class, () -> KafkaSettings.read(Settings.of("queue",
                Map.of("bootstrap_servers", "k:1", "partitions", 0)))).getMessage().contains("key 'partitions'"));
        assertTrue(assertThrows(ConfigurationException.class, () -> KafkaSettings.read(Settings.of("queue",
                Map.of("bootstrap_servers", "k:1", "bootstrap.servers", "x")))).getMessage().contains("'bootstrap.servers' is not a known key"));
    }
}
