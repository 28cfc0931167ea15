package dev.flusso.sink.opensearch;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code [sinks.<name>]} section of an OpenSearch sink, read and checked. {@link #toString()} leaves the
 * password out.
 *
 * @param hosts the servers, at least one; a request goes to any of them
 * @param username HTTP Basic user, if any
 * @param password HTTP Basic password, empty when a user has none
 * @param tlsVerify whether to verify the servers' certificates and names
 * @param caFile PEM certificates to trust instead of the JDK's, if any
 * @param trustStore a PKCS#12 or JKS trust store to trust instead of the JDK's, if any
 * @param trustStorePassword its password, possibly empty
 * @param compression whether request bodies are gzip-compressed
 * @param batchSize the most operations in one bulk request
 * @param maxBytes the most bytes in one bulk request (a larger single operation is sent alone)
 * @param timeout connect and response timeout of one request
 * @param maxRetries extra attempts at a request that failed transiently, or at items refused for load
 * @param pipeline an ingest pipeline for every bulk request, if any
 * @param numberOfShards the shards of a new index, overriding the index definition when set
 * @param numberOfReplicas the replicas of a new index, overriding the index definition when set
 * @param refreshInterval the refresh interval once an index is seeded
 * @param refreshWhenCaughtUp whether what a flush wrote is refreshed at once when the engine is caught up
 * @param refreshMinGap the least time between the starts of two such refreshes
 * @param prefix the deployment's prefix of every name the sink owns, possibly empty
 */
record SinkConfig(
        List<URI> hosts,
        Optional<String> username,
        String password,
        boolean tlsVerify,
        Optional<Path> caFile,
        Optional<Path> trustStore,
        String trustStorePassword,
        boolean compression,
        int batchSize,
        long maxBytes,
        Duration timeout,
        int maxRetries,
        Optional<String> pipeline,
        Optional<Integer> numberOfShards,
        Optional<Integer> numberOfReplicas,
        String refreshInterval,
        boolean refreshWhenCaughtUp,
        Duration refreshMinGap,
        String prefix) {

    /** The original's keys, then ours. {@code text_analysis} and {@code auto_subfields} shape the mapping upstream. */
    static final Set<String> KEYS = Set.of("type", "url", "username", "password", "tls_verify", "batch_size", "max_bytes",
            "timeout_secs", "max_retries", "pipeline", "number_of_shards", "number_of_replicas", "refresh_interval",
            "text_analysis", "auto_subfields", "ca_file", "trust_store", "trust_store_password", "compression", "prefix",
            "refresh_when_caught_up", "refresh_min_gap_ms");

    /** The least time between two refreshes when caught up: see the README's configuration reference for why. */
    static final long DEFAULT_REFRESH_MIN_GAP_MS = 50;

    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final String ILLEGAL_PREFIX_CHARACTERS = " ,:\"*+/\\|?#<>";

    static SinkConfig read(Settings settings) {
        settings.rejectUnknownKeys(KEYS);
        Optional<String> username = settings.string("username").filter(u -> !u.isEmpty());
        // A password without a user means no authentication, as in the original.
        String password = username.isPresent() ? settings.string("password", "") : "";
        String textAnalysis = settings.string("text_analysis", "builtin");
        if (!textAnalysis.equals("builtin") && !textAnalysis.equals("icu")) {
            throw new ConfigurationException("[" + settings.section() + "] key 'text_analysis' must be \"builtin\" or \"icu\"");
        }
        settings.bool("auto_subfields", true);
        return new SinkConfig(
                hosts(settings),
                username,
                password,
                settings.bool("tls_verify", true),
                settings.string("ca_file").map(Path::of),
                settings.string("trust_store").map(Path::of),
                settings.string("trust_store_password", ""),
                settings.bool("compression", false),
                (int) Math.max(1, settings.integer("batch_size", 1000)),
                Math.max(1, settings.longValue("max_bytes", 10L * 1024 * 1024)),
                Duration.ofSeconds(atLeast(settings, "timeout_secs", 30, 1)),
                (int) atLeast(settings, "max_retries", 3, 0),
                settings.string("pipeline").filter(p -> !p.isBlank()),
                settings.has("number_of_shards")
                        ? Optional.of(Math.max(1, settings.integer("number_of_shards", 1))) : Optional.empty(),
                settings.has("number_of_replicas")
                        ? Optional.of((int) atLeast(settings, "number_of_replicas", 1, 0)) : Optional.empty(),
                settings.string("refresh_interval", "10s"),
                settings.bool("refresh_when_caught_up", true),
                Duration.ofMillis(atLeast(settings, "refresh_min_gap_ms", DEFAULT_REFRESH_MIN_GAP_MS, 0)),
                prefix(settings));
    }

    private static long atLeast(Settings settings, String key, long defaultValue, long min) {
        long value = settings.longValue(key, defaultValue);
        if (value < min) {
            throw new ConfigurationException("[" + settings.section() + "] key '" + key + "' must be at least " + min);
        }
        return value;
    }

    private static List<URI> hosts(Settings settings) {
        if (!settings.has("url")) {
            throw new ConfigurationException("[" + settings.section() + "] key 'url' is required: expected an http(s) URL");
        }
        List<URI> hosts = new ArrayList<>();
        for (String entry : settings.strings("url")) {
            // Several servers: a list, or one string separated by commas (handy in an environment variable).
            for (String part : entry.split(",")) {
                String url = part.trim();
                while (url.endsWith("/")) {
                    url = url.substring(0, url.length() - 1);
                }
                // Messages never quote the value: it may come from a secret.
                if (!URL.matcher(url).matches()) {
                    throw new ConfigurationException("[" + settings.section() + "] key 'url' holds a value that is not an http(s) URL");
                }
                URI uri;
                try {
                    uri = URI.create(url);
                } catch (IllegalArgumentException e) {
                    // The exception's message quotes the URL, which may hold a password.
                    throw new ConfigurationException("[" + settings.section() + "] key 'url' holds a value that is not a"
                            + " valid URL (a character that must be percent-encoded?)");
                }
                if (uri.getRawUserInfo() != null) {
                    throw new ConfigurationException("[" + settings.section() + "] key 'url' must not carry credentials:"
                            + " use the username and password keys");
                }
                hosts.add(uri);
            }
        }
        if (hosts.isEmpty()) {
            throw new ConfigurationException("[" + settings.section() + "] key 'url' is empty: expected an http(s) URL");
        }
        return List.copyOf(hosts);
    }

    private static String prefix(Settings settings) {
        String prefix = settings.string("prefix", "");
        String where = "[" + settings.section() + "] key 'prefix' ";
        if (prefix.isEmpty()) {
            return prefix;
        }
        if (prefix.getBytes(StandardCharsets.UTF_8).length > 50) {
            throw new ConfigurationException(where + "is too long; keep it under 50 bytes");
        }
        for (char c : prefix.toCharArray()) {
            if (ILLEGAL_PREFIX_CHARACTERS.indexOf(c) >= 0) {
                throw new ConfigurationException(where + "contains the illegal character '" + c + "'");
            }
            if (c >= 'A' && c <= 'Z') {
                throw new ConfigurationException(where + "must be lowercase (OpenSearch index names are lowercase)");
            }
        }
        if (!Character.isLetterOrDigit(prefix.charAt(0))) {
            throw new ConfigurationException(where + "must start with a letter or digit");
        }
        return prefix;
    }

    @Override
    public String toString() {
        return "SinkConfig[hosts=" + hosts + ", username=" + username.map(u -> "(set)").orElse("(none)")
                + ", password=(hidden), tlsVerify=" + tlsVerify + ", batchSize=" + batchSize + ", maxBytes=" + maxBytes
                + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", prefix=" + prefix + "]";
    }
}
