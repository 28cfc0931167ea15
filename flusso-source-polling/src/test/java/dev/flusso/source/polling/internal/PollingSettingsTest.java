package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.TableRef;
import dev.flusso.api.spi.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollingSettingsTest {

    private static Map<String, Object> base() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("connection_url", "jdbc:postgresql://127.0.0.1:5432/db?user=u");
        return values;
    }

    private static String error(Map<String, Object> values) {
        return assertThrows(ConfigurationException.class, () -> PollingSettings.from(Settings.of("source", values))).getMessage();
    }

    @Test
    void readsDefaults() {
        PollingSettings settings = PollingSettings.from(Settings.of("source", base()));
        assertEquals(Duration.ofSeconds(1), settings.pollInterval());
        assertEquals(PollingSettings.StateKind.TABLE, settings.state());
        assertEquals(new TableRef("public", "flusso_polling_state"), settings.stateTable());
        assertEquals(false, settings.sweeps());
    }

    @Test
    void namesAMisspeltKey() {
        Map<String, Object> values = base();
        values.put("poll_intervall", "1s");
        assertEquals(true, error(values).startsWith("[source] key 'poll_intervall' is not a known key"));
    }

    @Test
    void acceptsTheWalCapturesKeysSoASectionCanSwitchCaptures() {
        Map<String, Object> values = base();
        values.put("slot", "s");
        values.put("manage_publication", false);
        PollingSettings.from(Settings.of("source", values));
    }

    @Test
    void namesWhatIsMissingOrWrong() {
        Map<String, Object> file = base();
        file.put("state", "file");
        assertEquals(true, error(file).contains("key 'state_file' is required with state = \"file\""));
        Map<String, Object> kind = base();
        kind.put("state", "disk");
        assertEquals(true, error(kind).contains("key 'state' must be \"table\""));
        Map<String, Object> sweep = base();
        sweep.put("sweep_interval", "10m");
        assertEquals(true, error(sweep).contains("key 'sweep_file' is required"));
        Map<String, Object> interval = base();
        interval.put("poll_interval", 5);
        assertEquals(true, error(interval).contains("key 'poll_interval'"));
        file.put("state_file", "/tmp/x");
        file.put("sweep_interval", "10m");
        assertEquals(java.nio.file.Path.of("/tmp/x.ids"), PollingSettings.from(Settings.of("source", file)).sweepFile(),
                "the sweep's ids default to a file beside the state file");
    }
}
