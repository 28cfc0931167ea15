package dev.flusso.source.wal.internal;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where to connect, as pgjdbc takes it: a JDBC URL without credentials and the connection properties. Built from
 * {@code connection_url} in any of its forms: {@code postgres://user:pass@host:port/db?sslmode=…} (also
 * {@code postgresql://}), a {@code jdbc:postgresql://} URL, or a parts table {@code { host, port, user, password,
 * database }}; then the TLS keys of the section are added. The password never appears in messages.
 *
 * @param jdbcUrl the JDBC URL, without user or password
 * @param properties user, password, TLS and other properties
 */
public record ConnectionTarget(String jdbcUrl, Properties properties) {

    static final List<String> TLS_KEYS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

    private static final Pattern URL = Pattern.compile(
            "(?:postgres|postgresql)://(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]*)(?:/([^?]*))?(?:\\?(.*))?");

    /** {@return a copy of the properties, for one connection} */
    public Properties copy() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** {@return the database name, for messages} */
    public String database() {
        String path = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        int slash = path.indexOf('/');
        String rest = slash < 0 ? "" : path.substring(slash + 1);
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    /**
     * @param settings the {@code [source]} section
     * @return the target
     * @throws ConfigurationException if {@code connection_url} is missing or malformed
     */
    public static ConnectionTarget from(Settings settings) {
        Properties properties = new Properties();
        String jdbcUrl;
        if (settings.asMap().get("connection_url") instanceof java.util.Map<?, ?> map && !map.containsKey("env")) {
            jdbcUrl = fromParts(settings.section("connection_url"), properties);
        } else {
            String url = settings.string("connection_url").map(String::trim).orElseThrow(() -> new ConfigurationException(
                    "[" + settings.section() + "] key 'connection_url' is required: a postgres:// URL, an env reference"
                            + " { env = \"VAR\" } or a parts table; or set DATABASE_URL"));
            jdbcUrl = url.startsWith("jdbc:postgresql:") ? url : fromUrl(url, properties, settings.section());
        }
        for (String key : TLS_KEYS) {
            settings.string(key).ifPresent(value -> properties.setProperty(key, value));
        }
        return new ConnectionTarget(jdbcUrl, properties);
    }

    private static String fromUrl(String url, Properties properties, String section) {
        Matcher m = URL.matcher(url);
        if (!m.matches() || m.group(3).isEmpty()) {
            throw new ConfigurationException("[" + section + "] key 'connection_url' is not a PostgreSQL URL: expected "
                    + "postgres://user:password@host:port/database, or jdbc:postgresql://host:port/database");
        }
        if (m.group(1) != null && !m.group(1).isEmpty()) {
            properties.setProperty("user", decode(m.group(1)));
        }
        if (m.group(2) != null) {
            properties.setProperty("password", decode(m.group(2)));
        }
        if (m.group(5) != null) {
            for (String pair : m.group(5).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    properties.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        String database = m.group(4) == null ? "" : decode(m.group(4));
        return "jdbc:postgresql://" + m.group(3) + "/" + database;
    }

    private static String fromParts(Settings parts, Properties properties) {
        String host = parts.string("host", "127.0.0.1");
        long port = parts.longValue("port", 5432);
        properties.setProperty("user", parts.string("user", "postgres"));
        parts.string("password").ifPresent(password -> properties.setProperty("password", password));
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + parts.requireString("database");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return jdbcUrl + " as '" + properties.getProperty("user", "(default user)") + "'";
    }
}
