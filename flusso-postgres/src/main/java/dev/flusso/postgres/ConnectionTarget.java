package dev.flusso.postgres;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where to connect, as pgjdbc takes it: a JDBC URL holding only hosts, ports and the database, and the connection
 * properties. Every form of {@code connection_url} comes here: {@code postgres://user:pass@host:port/db?sslmode=…}
 * (also {@code postgresql://}), a {@code jdbc:postgresql://host/db?user=…&password=…} URL, or a parts table
 * {@code { host, port, user, password, database }}. Credentials and every other query parameter move into the
 * properties, so the URL can be printed as it is; {@link #toString()} never shows the password. Ports are checked
 * here: pgjdbc takes a port that is not a number for no port and connects to {@code localhost:5432}, which may be
 * another server.
 *
 * @param jdbcUrl the JDBC URL, without query parameters, user or password
 * @param properties user, password, TLS and other connection properties
 */
public record ConnectionTarget(String jdbcUrl, Properties properties) {

    /** The TLS keys a {@code [source]} section may set beside its URL. */
    public static final List<String> TLS_KEYS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

    private static final Pattern SCHEME = Pattern.compile("(jdbc:postgresql|postgres|postgresql)://(.*)", Pattern.DOTALL);
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]*]|[^:\\[\\]]*)(?::(.*))?");

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
        return slash < 0 ? "" : path.substring(slash + 1);
    }

    /**
     * @param settings a section holding {@code connection_url} (a URL or a parts table) and the TLS keys
     * @return the target
     * @throws ConfigurationException if {@code connection_url} is missing or malformed; never showing the password
     */
    public static ConnectionTarget from(Settings settings) {
        String where = "[" + settings.section() + "] key 'connection_url'";
        ConnectionTarget target;
        if (settings.asMap().get("connection_url") instanceof Map<?, ?> map && !map.containsKey("env")) {
            target = fromParts(settings.section("connection_url"), where);
        } else {
            target = parse(settings.string("connection_url").map(String::trim).orElseThrow(() -> new ConfigurationException(
                    where + " is required: a postgres:// URL, an env reference { env = \"VAR\" } or a parts table;"
                            + " or set DATABASE_URL")), where);
        }
        for (String key : TLS_KEYS) {
            settings.string(key).ifPresent(value -> target.properties.setProperty(key, value));
        }
        return target;
    }

    /**
     * @param url a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql://} URL
     * @param where what holds the URL, for messages, such as {@code [source] key 'connection_url'}
     * @return the target
     * @throws ConfigurationException naming {@code where} if the URL is malformed; never showing the password
     */
    public static ConnectionTarget parse(String url, String where) {
        // pgjdbc's short form jdbc:postgresql:database means the local default server.
        boolean shortForm = url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:postgresql://");
        Matcher scheme = SCHEME.matcher(shortForm ? "jdbc:postgresql://localhost/" + url.substring("jdbc:postgresql:".length()) : url);
        if (!scheme.matches()) {
            throw new ConfigurationException(where + " is not a PostgreSQL URL ('" + redacted(url) + "'): expected"
                    + " postgres://user:password@host:port/database, or jdbc:postgresql://host:port/database");
        }
        // The authority ends at the first '/' or '?'; user info is what comes before its last '@'.
        String rest = scheme.group(2);
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != '/' && rest.charAt(end) != '?') {
            end++;
        }
        String authority = rest.substring(0, end);
        String remainder = rest.substring(end);
        int query = remainder.indexOf('?');
        String path = query < 0 ? remainder : remainder.substring(0, query);
        // An '@' in the path means a password with '/' in it, not percent-encoded, and one only in the query may be a
        // password with '?': then the "host" and "port" may be a user and part of a password, and no message quotes them.
        if (path.contains("@")) {
            throw new ConfigurationException(where + " has an '@' after its host: percent-encode '/', '?', '#' and '@' in"
                    + " a user name or password (%2F, %3F, %23, %40)");
        }
        boolean misread = authority.indexOf('@') < 0 && remainder.contains("@");
        Properties properties = new Properties();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (!user.isEmpty()) {
                properties.setProperty("user", user);
            }
            if (colon >= 0) {
                properties.setProperty("password", decode(userInfo.substring(colon + 1)));
            }
        }
        if (query >= 0) {
            for (String pair : remainder.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    properties.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                } else if (!pair.isEmpty()) {
                    properties.setProperty(decode(pair), "");
                }
            }
        }
        String hostPorts = authority.substring(at + 1);
        if (hostPorts.isEmpty()) {
            throw new ConfigurationException(where + " has no host: expected postgres://user:password@host:port/database");
        }
        StringBuilder hosts = new StringBuilder();
        for (String hostPort : hostPorts.split(",", -1)) {
            hosts.append(hosts.isEmpty() ? "" : ",").append(checkedHostPort(hostPort, where, misread));
        }
        String database = path.isEmpty() ? "" : decode(path.substring(1));
        return new ConnectionTarget("jdbc:postgresql://" + hosts + "/" + database, properties);
    }

    /** @param quiet whether the text may be part of a password, so that no message may quote it */
    private static String checkedHostPort(String hostPort, String where, boolean quiet) {
        Matcher m = HOST_PORT.matcher(hostPort);
        String hint = quiet ? ": percent-encode '/', '?', '#' and '@' in a user name or password (%2F, %3F, %23, %40)" : "";
        if (!m.matches() || m.group(1).isEmpty()) {
            throw new ConfigurationException(where + " has no host" + (quiet ? "" : " in '" + hostPort + "'")
                    + ": expected host or host:port" + hint);
        }
        if (m.group(2) == null) {
            return hostPort;
        }
        if (quiet) {
            try {
                port(m.group(2), where);
            } catch (ConfigurationException e) {
                throw new ConfigurationException(where + " has a port that is not a number from 1 to 65535" + hint);
            }
        } else {
            port(m.group(2), where);
        }
        return hostPort;
    }

    private static int port(String text, String where) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new ConfigurationException(where + " has port '" + text + "': expected a number from 1 to 65535");
        }
        return port;
    }

    private static ConnectionTarget fromParts(Settings parts, String where) {
        Properties properties = new Properties();
        String host = parts.string("host", "127.0.0.1");
        Object rawPort = parts.asMap().getOrDefault("port", 5432L);
        int port = port(String.valueOf(rawPort), where + " part 'port'");
        properties.setProperty("user", parts.string("user", "postgres"));
        parts.string("password").ifPresent(password -> properties.setProperty("password", password));
        return new ConnectionTarget("jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + parts.requireString("database"), properties);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A stray % is taken as it is, as pgjdbc does with parameters it cannot decode.
            return text;
        }
    }

    /** {@return the URL with everything before its last '@' (user and password) and any password parameter hidden} */
    public static String redacted(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        String shown = scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
        return shown.replaceAll("(?i)((?:ssl)?password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return jdbcUrl + " as '" + properties.getProperty("user", "(default user)") + "'";
    }
}
