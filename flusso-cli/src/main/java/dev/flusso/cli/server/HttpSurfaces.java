package dev.flusso.cli.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.flusso.api.ConfigurationException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two HTTP surfaces of {@code flusso run}, on the JDK's own server: a public one with {@code /metrics}
 * (Prometheus text format), {@code /healthz} and {@code /readyz}, for scrapers and orchestrators; and a private admin
 * one with {@code /status} (also as {@code /indexes}, the original flusso's name) and {@code POST /reindex}, behind
 * HTTP basic authentication.
 */
public final class HttpSurfaces implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSurfaces.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer publicServer;
    private final HttpServer privateServer;

    private HttpSurfaces(HttpServer publicServer, HttpServer privateServer) {
        this.publicServer = publicServer;
        this.privateServer = privateServer;
    }

    /**
     * Binds and starts both surfaces; fails at once when an address is taken, or when the admin surface would
     * listen beyond loopback with no credentials of the operator's choosing.
     *
     * @param publicAddress where the public surface listens, or {@code null} for none
     * @param privateAddress where the admin surface listens, or {@code null} for none
     * @param credentials {@code user:password} for the admin surface, or {@code null} when none were given
     * @param metrics the run's metrics and state
     * @param status the admin surface's {@code /status} document
     * @param reindex starts a rebuild of the named index and says so; throws {@link ConfigurationException} for an
     *     index the deployment does not have
     * @return the running surfaces
     */
    public static HttpSurfaces start(InetSocketAddress publicAddress, InetSocketAddress privateAddress, String credentials,
            Metrics metrics, Supplier<Map<String, Object>> status, Function<String, Map<String, Object>> reindex) {
        if (privateAddress != null && credentials == null && !privateAddress.getAddress().isLoopbackAddress()) {
            throw new ConfigurationException("the admin surface would listen on " + address(privateAddress)
                    + ", beyond loopback, with no credentials: set --admin-user and --admin-password"
                    + " (FLUSSO_ADMIN_USER, FLUSSO_ADMIN_PASSWORD), or keep private_address on 127.0.0.1");
        }
        HttpServer publicServer = null;
        HttpServer privateServer = null;
        try {
            if (publicAddress != null) {
                publicServer = bind(publicAddress, "public_address");
                publicServer.createContext("/metrics", exchange -> metrics(exchange, metrics));
                publicServer.createContext("/healthz", exchange -> probe(exchange, metrics.healthy(), "failed"));
                publicServer.createContext("/readyz", exchange -> probe(exchange, metrics.ready(),
                        !metrics.healthy() ? "failed" : !metrics.outages().isEmpty() ? "retrying " + new java.util.TreeSet<>(metrics.outages().keySet())
                                : "backfilling"));
                publicServer.start();
                LOG.info("metrics and health on http://{}/metrics, /healthz, /readyz", address(publicServer.getAddress()));
            }
            if (privateAddress != null) {
                String expected = credentials;
                if (expected == null) {
                    expected = "admin:flusso";
                    LOG.warn("the admin surface uses the default credentials admin/flusso: set --admin-user and"
                            + " --admin-password before exposing it");
                }
                privateServer = bind(privateAddress, "private_address");
                HttpHandler statusHandler = authenticated(expected, exchange -> json(exchange, 200, status.get()));
                privateServer.createContext("/status", statusHandler);
                privateServer.createContext("/indexes", statusHandler);
                privateServer.createContext("/reindex", authenticated(expected, exchange -> reindex(exchange, reindex)));
                privateServer.start();
                LOG.info("admin status on http://{}/status (basic authentication)", address(privateServer.getAddress()));
            }
            return new HttpSurfaces(publicServer, privateServer);
        } catch (RuntimeException e) {
            new HttpSurfaces(publicServer, privateServer).close();
            throw e;
        }
    }

    /** {@return where the public surface listens, or {@code null}} */
    public InetSocketAddress publicAddress() {
        return publicServer == null ? null : publicServer.getAddress();
    }

    /** {@return where the admin surface listens, or {@code null}} */
    public InetSocketAddress privateAddress() {
        return privateServer == null ? null : privateServer.getAddress();
    }

    @Override
    public void close() {
        if (publicServer != null) {
            publicServer.stop(0);
        }
        if (privateServer != null) {
            privateServer.stop(0);
        }
    }

    private static HttpServer bind(InetSocketAddress address, String key) {
        try {
            return HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new ConfigurationException("cannot listen on " + address(address) + " (" + key + "): " + e.getMessage()
                    + "; choose another address, or 'off'");
        } catch (IOException e) {
            throw new ConfigurationException("cannot listen on " + address(address) + " (" + key + "): " + e);
        }
    }

    private static void metrics(HttpExchange exchange, Metrics metrics) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(body, metrics.registry().scrape());
        exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
        send(exchange, 200, body.toByteArray());
    }

    /** {@code POST /reindex?index=NAME} (or {@code /reindex/NAME}, the original flusso's form). */
    private static void reindex(HttpExchange exchange, Function<String, Map<String, Object>> reindex) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            json(exchange, 405, Map.of("error", "use POST /reindex?index=NAME"));
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        String index = path.startsWith("/reindex/") ? path.substring("/reindex/".length())
                : query != null && query.startsWith("index=") ? query.substring("index=".length()) : "";
        if (index.isEmpty()) {
            json(exchange, 400, Map.of("error", "name the index: POST /reindex?index=NAME"));
            return;
        }
        try {
            json(exchange, 202, reindex.apply(java.net.URLDecoder.decode(index, StandardCharsets.UTF_8)));
        } catch (ConfigurationException e) {
            json(exchange, 404, Map.of("error", e.getMessage()));
        }
    }

    private static void probe(HttpExchange exchange, boolean ok, String notOk) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(exchange, ok ? 200 : 503, ((ok ? "ok" : notOk) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpExchange exchange, int code, Object value) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, code, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    private static HttpHandler authenticated(String credentials, HttpHandler handler) {
        byte[] expected = ("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            String given = exchange.getRequestHeaders().getFirst("Authorization");
            // Compared in constant time, so the answer's timing tells nothing about the password.
            if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"flusso\", charset=\"UTF-8\"");
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("error", "authentication required");
                json(exchange, 401, error);
                return;
            }
            handler.handle(exchange);
        };
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String address(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
