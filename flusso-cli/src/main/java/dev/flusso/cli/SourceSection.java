package dev.flusso.cli;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code [source]} section as providers receive it: {@code connection_url} is always one URL (or an
 * {@code { env = … }} reference to one), whichever of the original's three forms the file used.
 */
final class SourceSection {

    private SourceSection() {
    }

    /**
     * @param source the section as written (after reserved-variable overrides)
     * @param overrides command-line values that replace the file's, null values ignored
     * @return the section with {@code connection_url} normalised and the overrides applied
     */
    static Settings normalise(Settings source, Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(source.asMap());
        Object url = values.get("connection_url");
        if (url == null) {
            values.put("connection_url", Map.of("env", "DATABASE_URL"));
        } else if (url instanceof Map<?, ?> map && !map.containsKey("env")) {
            values.put("connection_url", fromParts(source.section("connection_url")));
        }
        overrides.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
            }
        });
        return Settings.of(source.section(), values);
    }

    /** {@return {@code postgresql://user[:password]@host:port/database}, user and password percent-encoded} */
    private static String fromParts(Settings parts) {
        String database = parts.string("database").orElseThrow(() -> new ConfigurationException(
                "[" + parts.section() + "] key 'database' is required in a connection-parts table"));
        StringBuilder url = new StringBuilder("postgresql://").append(encode(parts.string("user", "postgres")));
        parts.string("password").ifPresent(password -> url.append(':').append(encode(password)));
        String host = parts.string("host", "127.0.0.1");
        return url.append('@').append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host).append(':').append(parts.integer("port", 5432))
                .append('/').append(encode(database)).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
