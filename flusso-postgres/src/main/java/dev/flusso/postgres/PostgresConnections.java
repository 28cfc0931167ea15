package dev.flusso.postgres;

import dev.flusso.api.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Data sources from the connection URLs users write, made with the driver directly: {@code DriverManager} may not
 * see pgjdbc when Flusso loads it in a plugin's module layer.
 */
public final class PostgresConnections {

    private PostgresConnections() {
    }

    /**
     * @param url {@code postgres://user:password@host:port/database?sslmode=…} (also {@code postgresql://}), or a
     *     pgjdbc URL {@code jdbc:postgresql://host:port/database?user=…}
     * @return a data source that opens a new connection per call
     * @throws ConfigurationException if the URL is neither form; the message never shows the password
     */
    public static DataSource dataSource(String url) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setApplicationName("flusso");
        if (url.startsWith("jdbc:postgresql:")) {
            source.setUrl(url);
            return source;
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new ConfigurationException("connection_url '" + redacted(url) + "': expected postgres://user:password@host:port/database"
                    + " or jdbc:postgresql://host:port/database");
        }
        try {
            URI uri = new URI(url);
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "" : uri.getPath().substring(1);
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            source.setUrl("jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database + query);
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                source.setUser(decode(parts[0]));
                if (parts.length == 2) {
                    source.setPassword(decode(parts[1]));
                }
            }
            return source;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConfigurationException("connection_url '" + redacted(url) + "' is not a valid URL: expected"
                    + " postgres://user:password@host:port/database", e);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** {@return the URL with any password replaced by {@code ***}} */
    static String redacted(String url) {
        return url.replaceAll("://([^:/@]*):[^@/]*@", "://$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
