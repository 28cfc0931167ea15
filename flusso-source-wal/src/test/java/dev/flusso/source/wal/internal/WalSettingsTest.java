package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalSettingsTest {

    @Test
    void readsAPostgresUrlWithCredentialsAndParameters() {
        WalSettings settings = read(Map.of("type", "postgres",
                "connection_url", "postgres://ann:p%40ss@db.example:5433/shop?sslmode=verify-full&sslrootcert=/ca.pem"));
        assertEquals("jdbc:postgresql://db.example:5433/shop", settings.target().jdbcUrl());
        assertEquals("ann", settings.target().properties().getProperty("user"));
        assertEquals("p@ss", settings.target().properties().getProperty("password"));
        assertEquals("verify-full", settings.target().properties().getProperty("sslmode"));
        assertEquals("shop", settings.target().database());
        assertEquals("flusso", settings.slot());
        assertEquals("flusso", settings.publication());
        assertTrue(settings.managePublication());
        assertEquals(Duration.ofSeconds(10), settings.statusInterval());
        assertTrue(!settings.target().toString().contains("p@ss"), "the password stays out of messages");
    }

    @Test
    void readsPartsAnEnvReferenceAndTlsKeys() {
        WalSettings parts = read(Map.of("connection_url", Map.of("host", "h", "port", 6000L, "database", "d",
                "password", Map.of("env", "PW")), "sslmode", "require", "sslcert", "/c.pem", "sslkey", "/k.pk8"),
                Map.of("PW", "secret"));
        assertEquals("jdbc:postgresql://h:6000/d", parts.target().jdbcUrl());
        assertEquals("secret", parts.target().properties().getProperty("password"));
        assertEquals("require", parts.target().properties().getProperty("sslmode"));
        assertEquals("/k.pk8", parts.target().properties().getProperty("sslkey"));
        WalSettings env = read(Map.of("connection_url", Map.of("env", "DATABASE_URL")),
                Map.of("DATABASE_URL", "jdbc:postgresql://x/y?user=u"));
        assertEquals("jdbc:postgresql://x/y", env.target().jdbcUrl());
        assertEquals("u", env.target().properties().getProperty("user"));
    }

    @Test
    void rejectsUnknownKeysBadNamesAndMissingUrls() {
        assertThrows(ConfigurationException.class, () -> read(Map.of("connection_url", "postgres://h/d", "slots", "x")));
        ConfigurationException name = assertThrows(ConfigurationException.class,
                () -> read(Map.of("connection_url", "postgres://h/d", "slot", "My-Slot")));
        assertTrue(name.getMessage().contains("'slot'"), name.getMessage());
        assertThrows(ConfigurationException.class, () -> read(Map.of("slot", "x")));
        assertThrows(ConfigurationException.class, () -> read(Map.of("connection_url", "mysql://h/d")));
    }

    @Test
    void shortensTheStatusIntervalToAThirdOfTheSendersTimeout() {
        WalSettings settings = read(Map.of("connection_url", "postgres://h/d", "status_interval", "10s"));
        assertEquals(Duration.ofSeconds(5), settings.fitTo(Duration.ofSeconds(15)).statusInterval());
        assertEquals(Duration.ofSeconds(10), settings.fitTo(Duration.ofSeconds(60)).statusInterval());
        assertEquals(Duration.ofSeconds(10), settings.fitTo(Duration.ZERO).statusInterval());
    }

    @Test
    void socketTimeoutDefaultsToThirtySecondsAndMustBePositive() {
        assertEquals(Duration.ofSeconds(30), read(Map.of("connection_url", "postgres://h/d")).socketTimeout());
        assertEquals(Duration.ofSeconds(2), read(Map.of("connection_url", "postgres://h/d", "socket_timeout", "2s")).socketTimeout());
        ConfigurationException zero = assertThrows(ConfigurationException.class,
                () -> read(Map.of("connection_url", "postgres://h/d", "socket_timeout", "0s")));
        assertTrue(zero.getMessage().contains("'socket_timeout'"), zero.getMessage());
    }

    private static WalSettings read(Map<String, Object> values) {
        return read(values, Map.of());
    }

    private static WalSettings read(Map<String, Object> values, Map<String, String> environment) {
        return WalSettings.from(Settings.of("source", values, environment::get));
    }
}
