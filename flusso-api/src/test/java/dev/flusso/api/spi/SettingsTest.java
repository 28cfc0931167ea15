package dev.flusso.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flusso.api.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings settings(Map<String, ?> values) {
        return Settings.of("sinks.search", values, name -> name.equals("OS_PASSWORD") ? "s3cret" : null);
    }

    @Test
    void readsTypedValuesAndDefaults() {
        Settings s = settings(Map.of("url", "http://127.0.0.1:9200", "batch_size", 500L, "tls_verify", false,
                "timeout", "30s", "hosts", List.of("a", "b")));
        assertEquals("http://127.0.0.1:9200", s.requireString("url"));
        assertEquals(500, s.integer("batch_size", 1));
        assertEquals(7, s.integer("max_retries", 7));
        assertFalse(s.bool("tls_verify", true));
        assertEquals(Duration.ofSeconds(30), s.duration("timeout", Duration.ZERO));
        assertEquals(Duration.ofMillis(250), settings(Map.of("d", "250ms")).duration("d", Duration.ZERO));
        assertEquals(Duration.ofMinutes(2), settings(Map.of("d", "PT2M")).duration("d", Duration.ZERO));
        assertEquals(List.of("a", "b"), s.strings("hosts"));
    }

    @Test
    void resolvesEnvReferencesWhenRead() {
        Settings s = settings(Map.of("password", Map.of("env", "OS_PASSWORD"), "user", Map.of("env", "UNSET_VAR")));
        assertEquals("s3cret", s.requireString("password"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> s.requireString("user"));
        assertEquals("[sinks.search] key 'user' reads environment variable 'UNSET_VAR', which is not set", e.getMessage());
    }

    @Test
    void typeErrorsNameSectionKeyAndExpectationButNeverTheValue() {
        Settings s = settings(Map.of("batch_size", "lots", "password", 12345L));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> s.integer("batch_size", 1));
        assertEquals("[sinks.search] key 'batch_size' has a string that does not fit: expected a whole number", e.getMessage());
        ConfigurationException secret = assertThrows(ConfigurationException.class, () -> s.requireString("password"));
        assertFalse(secret.getMessage().contains("12345"), secret.getMessage());
    }

    @Test
    void durationsNeedAUnit() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> settings(Map.of("timeout", 30L)).duration("timeout", Duration.ZERO));
        assertEquals("[sinks.search] key 'timeout' has a number: expected a duration with its unit, such as \"500ms\", \"5s\" or \"2m\"",
                e.getMessage());
    }

    @Test
    void rejectsUnknownKeysListingTheKnownOnes() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> settings(Map.of("urll", "x")).rejectUnknownKeys(Set.of("url", "pipeline")));
        assertEquals("[sinks.search] key 'urll' is not a known key; expected one of [pipeline, url]", e.getMessage());
    }

    @Test
    void nestedSectionsCarryTheirPath() {
        Settings s = settings(Map.of("tls", Map.of("ca_file", 3L)));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> s.section("tls").requireString("ca_file"));
        assertEquals("[sinks.search.tls] key 'ca_file' has a number: expected a string", e.getMessage());
    }

    @Test
    void toStringShowsKeysOnly() {
        assertFalse(settings(Map.of("password", "hunter2")).toString().contains("hunter2"));
    }
}
