package dev.flusso.schema.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validates the {@code [source]} and {@code [sinks.<name>]} sections, leaving their values as written. */
final class SourceReader {

    private static final Pattern SOCKET = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");
    // Beyond the original's three keys: our capture choice, slot and publication names, intervals, TLS, and the
    // polling capture's keys.
    private static final Set<String> POSTGRES = Set.of("type", "connection_url", "manage_publication", "capture", "slot",
            "publication", "status_interval", "socket_timeout", "heartbeat_interval", "sslmode", "sslrootcert", "sslcert",
            "sslkey", "sslpassword", "poll_interval", "state", "state_table", "state_name", "state_file", "sweep_interval",
            "sweep_file", "deletions_table", "page_size", "cursor_columns", "cursor_lookback");
    private static final List<String> SOURCE_STRINGS = List.of("capture", "slot", "publication", "status_interval",
            "socket_timeout", "heartbeat_interval", "sslmode", "sslrootcert", "sslcert", "sslkey", "poll_interval", "state",
            "state_table", "state_name", "state_file", "sweep_interval", "sweep_file", "deletions_table");
    private static final Set<String> PARTS = Set.of("host", "port", "user", "password", "database");
    private static final Set<String> OPENSEARCH = Set.of("type", "url", "username", "password", "tls_verify", "batch_size",
            "max_bytes", "timeout_secs", "max_retries", "pipeline", "number_of_shards", "number_of_replicas",
            "refresh_interval", "text_analysis", "auto_subfields", "ca_file", "trust_store", "trust_store_password", "compression",
            "refresh_when_caught_up", "refresh_min_gap_ms");
    private static final List<String> COUNTS = List.of("batch_size", "max_bytes", "timeout_secs", "max_retries",
            "number_of_shards", "number_of_replicas");
    private static final String ENV_OR_VALUE = "a string or an env reference { env = \"VAR\" }";

    private final Reading reading;

    SourceReader(Reading reading) {
        this.reading = reading;
    }

    static boolean isReference(Object value) {
        return value instanceof Map<?, ?> map && map.size() == 1 && map.get("env") instanceof String;
    }

    static boolean isSocketAddress(String text) {
        Matcher m = SOCKET.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            return false;
        }
        if (m.group(1).startsWith("[")) {
            return true;
        }
        for (String octet : m.group(1).split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** {@return the section's values, or null after a problem that leaves it unusable} */
    @SuppressWarnings("unchecked")
    Map<String, Object> source(Node node) {
        Node.MapNode map = reading.map(node, "source", "a [source] table with type = \"postgres\"");
        String type = map == null ? null : type(map, "source", "postgres");
        if (type == null) {
            return null;
        }
        if (type.equals("postgres")) {
            reading.allowOnly(map, "source", POSTGRES);
            Node url = map.get("connection_url");
            if (url instanceof Node.MapNode table && !table.has("env")) {
                parts(table);
            } else if (url != null) {
                envOrValue(url, "source.connection_url", "a connection URL string, an env reference { env = \"VAR\" },"
                        + " or a connection-parts table { host, port, user, password, database }");
            }
            for (String key : SOURCE_STRINGS) {
                if (map.has(key)) {
                    reading.string(map.get(key), "source." + key, "a string");
                }
            }
            if (map.has("sslpassword")) {
                envOrValue(map.get("sslpassword"), "source.sslpassword", ENV_OR_VALUE);
            }
            if (map.has("manage_publication")) {
                reading.bool(map.get("manage_publication"), "source.manage_publication");
            }
            if (map.has("page_size") && !(map.get("page_size") instanceof Node.ScalarNode s && s.value() instanceof Long n && n >= 1)) {
                reading.problem(map.get("page_size").at(), "source.page_size", "found " + Node.describe(map.get("page_size"))
                        + ", expected a whole number of at least 1");
            }
            if (map.has("cursor_columns")) {
                if (map.get("cursor_columns") instanceof Node.MapNode columns) {
                    columns.entries().forEach((table, column) ->
                            reading.string(column, "source.cursor_columns." + table, "a column name"));
                } else {
                    reading.problem(map.get("cursor_columns").at(), "source.cursor_columns", "found "
                            + Node.describe(map.get("cursor_columns")) + ", expected a table of table = \"column\"");
                }
            }
            if (map.has("cursor_lookback") && !(map.get("cursor_lookback") instanceof Node.ScalarNode s
                    && (s.value() instanceof String || s.value() instanceof Long))) {
                reading.problem(map.get("cursor_lookback").at(), "source.cursor_lookback", "found "
                        + Node.describe(map.get("cursor_lookback")) + ", expected a duration such as \"10m\" or a number");
            }
        }
        return (Map<String, Object>) Reading.plain(map);
    }

    private void parts(Node.MapNode table) {
        String path = "source.connection_url";
        reading.allowOnly(table, path, PARTS);
        reading.require(table, "database", path, "the database name");
        for (String key : List.of("host", "user", "database")) {
            if (table.has(key)) {
                reading.string(table.get(key), path + "." + key, "a string");
            }
        }
        if (table.has("port") && !(table.get("port") instanceof Node.ScalarNode s && s.value() instanceof Long port
                && port >= 0 && port <= 65535)) {
            reading.problem(table.get("port").at(), path + ".port", "found " + Node.describe(table.get("port")) + ", expected a port number 0-65535");
        }
        if (table.has("password")) {
            envOrValue(table.get("password"), path + ".password", ENV_OR_VALUE);
        }
    }

    private void envOrValue(Node node, String path, String expected) {
        if (node instanceof Node.ScalarNode scalar && scalar.value() instanceof String) {
            return;
        }
        if (node instanceof Node.MapNode map && map.has("env")) {
            for (String key : map.entries().keySet()) {
                if (!key.equals("env")) {
                    reading.problem(map.keyAt(key), path + "." + key, "found the key '" + key + "' in an env reference,"
                            + " expected only { env = \"VAR\" }");
                }
            }
            reading.string(map.get("env"), path + ".env", "the environment variable's name");
            return;
        }
        reading.problem(node.at(), path, "found " + (node instanceof Node.MapNode m && m.entries().isEmpty() ? "an empty table" : Node.describe(node))
                + ", expected " + expected);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> sink(Node node, String path) {
        Node.MapNode map = reading.map(node, path, "a sink table with a type, such as type = \"opensearch\"");
        String type = map == null ? null : type(map, path, "opensearch");
        if (type == null) {
            return null;
        }
        // Other types belong to sink plugins, which validate their own keys when they start.
        if (type.equals("opensearch")) {
            opensearch(map, path);
        } else if (type.equals("stdout")) {
            reading.allowOnly(map, path, Set.of("type", "pretty", "path"));
            if (map.has("path")) {
                reading.string(map.get("path"), path + ".path", "a file path");
            }
            if (map.has("pretty")) {
                reading.bool(map.get("pretty"), path + ".pretty");
            }
        }
        return (Map<String, Object>) Reading.plain(map);
    }

    private void opensearch(Node.MapNode map, String path) {
        reading.allowOnly(map, path, OPENSEARCH);
        Node url = reading.require(map, "url", path, "the cluster's URL, " + ENV_OR_VALUE);
        if (url instanceof Node.ListNode hosts) {
            // Ours: several hosts of one cluster.
            for (int i = 0; i < hosts.items().size(); i++) {
                envOrValue(hosts.items().get(i), path + ".url[" + i + "]", ENV_OR_VALUE);
            }
        } else if (url != null) {
            envOrValue(url, path + ".url", ENV_OR_VALUE);
        }
        for (String key : List.of("ca_file", "trust_store")) {
            if (map.has(key)) {
                reading.string(map.get(key), path + "." + key, "a file path");
            }
        }
        for (String key : List.of("username", "password", "trust_store_password")) {
            if (map.has(key)) {
                envOrValue(map.get(key), path + "." + key, ENV_OR_VALUE);
            }
        }
        for (String key : List.of("tls_verify", "auto_subfields", "compression")) {
            if (map.has(key)) {
                reading.bool(map.get(key), path + "." + key);
            }
        }
        for (String key : COUNTS) {
            if (map.has(key) && !(map.get(key) instanceof Node.ScalarNode s && s.value() instanceof Long n && n >= 0)) {
                reading.problem(map.get(key).at(), path + "." + key, "found " + Node.describe(map.get(key)) + ", expected a whole number of at least 0");
            }
        }
        for (String key : List.of("pipeline", "refresh_interval")) {
            if (map.has(key)) {
                reading.string(map.get(key), path + "." + key, "a string");
            }
        }
        if (map.has("text_analysis")) {
            String analysis = reading.string(map.get("text_analysis"), path + ".text_analysis", "builtin or icu");
            if (analysis != null && !analysis.equals("builtin") && !analysis.equals("icu")) {
                reading.problem(map.get("text_analysis").at(), path + ".text_analysis", "found '" + analysis + "', expected builtin or icu");
            }
        }
    }

    private String type(Node.MapNode map, String path, String example) {
        Node node = reading.require(map, "type", path, "a type, such as type = \"" + example + "\"");
        return node == null ? null : reading.string(node, path + ".type", "a type name such as \"" + example + "\"");
    }
}
