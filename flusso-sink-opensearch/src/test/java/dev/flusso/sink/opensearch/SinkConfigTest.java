package dev.flusso.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import dev.flusso.api.spi.SinkProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

    private static SinkConfig read(Map<String, Object> values) {
        return SinkConfig.read(Settings.of("sinks.search", values, name -> name.equals("OS_PASSWORD") ? "hunter2" : null));
    }

    @Test
    void defaultsAreTheOriginalOnes() {
        SinkConfig config = read(Map.of("type", "opensearch", "url", "https://search:9200/"));

        assertEquals(List.of(URI.create("https://search:9200")), config.hosts());
        assertEquals(1000, config.batchSize());
        assertEquals(10L * 1024 * 1024, config.maxBytes());
        assertEquals(Duration.ofSeconds(30), config.timeout());
        assertEquals(3, config.maxRetries());
        assertEquals("10s", config.refreshInterval());
        assertTrue(config.tlsVerify());
        assertEquals(Optional.empty(), config.username());
    }

    @Test
    void severalHostsComeAsAListOrSeparatedByCommas() {
        assertEquals(2, read(Map.of("url", List.of("http://a:9200", "http://b:9200"))).hosts().size());
        assertEquals(2, read(Map.of("url", "http://a:9200, http://b:9200")).hosts().size());
    }

    @Test
    void passwordsAreReadFromTheEnvironmentAndNeverShown() {
        SinkConfig config = read(Map.of("url", "http://a:9200", "username", "flusso", "password", Map.of("env", "OS_PASSWORD")));

        assertEquals("hunter2", config.password());
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutQuotingThem() {
        ConfigurationException failure = assertThrows(ConfigurationException.class,
                () -> read(Map.of("url", "https://admin:hunter2@search:9200")));

        assertFalse(failure.getMessage().contains("hunter2"), failure.getMessage());
    }

    @Test
    void unknownKeysAndBadValuesAreConfigurationErrors() {
        assertThrows(ConfigurationException.class, () -> read(Map.of("url", "http://a:9200", "bulk_size", 5)));
        assertThrows(ConfigurationException.class, () -> read(Map.of("url", "ftp://a")));
        assertThrows(ConfigurationException.class, () -> read(Map.of("url", "http://a:9200", "prefix", "Dev_")));
        assertThrows(ConfigurationException.class, () -> read(Map.of("url", "http://a:9200", "text_analysis", "fancy")));
        assertThrows(ConfigurationException.class, () -> read(Map.of("type", "opensearch")));
    }

    @Test
    void zeroCountsAreClampedAsTheOriginalDoes() {
        SinkConfig config = read(Map.of("url", "http://a:9200", "batch_size", 0, "max_bytes", 0, "number_of_shards", 0));

        assertEquals(1, config.batchSize());
        assertEquals(1, config.maxBytes());
        assertEquals(Optional.of(1), config.numberOfShards());
    }

    @Test
    void providerIsFoundByItsName() {
        var provides = OpenSearchSinkProvider.class.getModule().getDescriptor().provides();

        assertTrue(provides.stream().anyMatch(p -> p.service().equals(SinkProvider.class.getName())
                && p.providers().equals(List.of(OpenSearchSinkProvider.class.getName()))), "module provides: " + provides);
        assertEquals("opensearch", new OpenSearchSinkProvider().name());
    }
}
