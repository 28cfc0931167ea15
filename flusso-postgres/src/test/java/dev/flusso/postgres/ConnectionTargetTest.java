package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConnectionTargetTest {

    private static final String SECRET = "S3cr%t&pw";

    @ParameterizedTest
    @ValueSource(strings = {
        "postgres://app:S3cr%25t%26pw@db.example:5433/shop?sslmode=require",
        "postgresql://app:S3cr%25t%26pw@db.example:5433/shop",
        "jdbc:postgresql://db.example:5433/shop?user=app&password=S3cr%25t%26pw",
        "jdbc:postgresql://db.example:5433/shop?password=S3cr%25t%26pw&user=app&sslmode=require",
    })
    void keepsThePasswordInThePropertiesAndOutOfTheUrl(String url) {
        ConnectionTarget target = ConnectionTarget.parse(url, "connection_url");
        assertEquals("jdbc:postgresql://db.example:5433/shop", target.jdbcUrl(), url);
        assertEquals("app", target.properties().getProperty("user"), url);
        assertEquals(SECRET, target.properties().getProperty("password"), url);
        assertFalse(target.toString().contains("S3cr"), () -> "the target of " + url + " prints " + target);
        assertEquals("shop", target.database());
    }

    @Test
    void readsPartsAndTlsKeysOfASection() {
        ConnectionTarget target = ConnectionTarget.from(Settings.of("source", Map.of("connection_url",
                Map.of("host", "::1", "port", 6000L, "database", "d", "password", SECRET), "sslmode", "verify-full")));
        assertEquals("jdbc:postgresql://[::1]:6000/d", target.jdbcUrl());
        assertEquals(SECRET, target.properties().getProperty("password"));
        assertEquals("verify-full", target.properties().getProperty("sslmode"));
        assertFalse(target.toString().contains("S3cr"), target::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgres://app:S3cretPW@127.0.0.1:notaport/shop",
        "jdbc:postgresql://127.0.0.1:notaport/shop?user=app&password=S3cretPW",
        "jdbc:postgresql://h1:5432,h2:99999/shop?password=S3cretPW",
        "postgres://app:S3cretPW@127.0.0.1:0/shop",
    })
    void refusesAPortThatIsNotOneNamingItWithoutThePassword(String url) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConnectionTarget.parse(url, "[source] key 'connection_url'"));
        assertTrue(e.getMessage().startsWith("[source] key 'connection_url' has port '"), e.getMessage());
        assertFalse(e.getMessage().contains("S3cretPW"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgres://app:Qx7/S3cretPW@db.example/shop",
        "postgres://app:S3cretPW?x@db.example:5432/shop",
        "postgresql://app:S3cr/etPW@db.example:5432/shop",
        "mysql://app:S3cr/et?PW@db/shop",
    })
    void aPasswordThatWasNotPercentEncodedNeverShowsInTheMessage(String url) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConnectionTarget.parse(url, "connection_url"));
        assertFalse(e.getMessage().contains("S3cr") || e.getMessage().contains("PW") || e.getMessage().contains("Qx7"),
                e.getMessage());
    }

    @Test
    void takesTheLastAtOfTheAuthorityForTheUserInfo() {
        ConnectionTarget target = ConnectionTarget.parse("postgres://app:p@ss@db.example/shop?user=ignored@x", "connection_url");
        assertEquals("jdbc:postgresql://db.example/shop", target.jdbcUrl());
        assertEquals("p@ss", target.properties().getProperty("password"));
        assertFalse(ConnectionTarget.redacted("postgres://app:p@ss@db.example/shop").contains("ss"));
    }

    @Test
    void readsPgjdbcsShortForm() {
        ConnectionTarget target = ConnectionTarget.parse("jdbc:postgresql:shop?user=app&password=S3cretPW", "connection_url");
        assertEquals("jdbc:postgresql://localhost/shop", target.jdbcUrl());
        assertEquals("S3cretPW", target.properties().getProperty("password"));
    }

    @Test
    void refusesAPartsPortThatIsNotANumber() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConnectionTarget.from(
                Settings.of("source", Map.of("connection_url", Map.of("port", "notaport", "database", "d")))));
        assertTrue(e.getMessage().contains("'notaport'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://app:S3cretPW@h/d", "postgres://app:S3cretPW@/d", "postgres:/h/d?password=S3cretPW"})
    void refusesOtherUrlsWithoutThePassword(String url) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConnectionTarget.parse(url, "connection_url"));
        assertFalse(e.getMessage().contains("S3cretPW"), e.getMessage());
    }
}
