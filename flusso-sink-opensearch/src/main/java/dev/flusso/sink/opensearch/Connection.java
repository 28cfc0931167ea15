package dev.flusso.sink.opensearch;

import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to OpenSearch through the client's generic API: bodies are built as bytes by the sink (documents
 * arrive as JSON text, and re-serialising them through typed requests would only cost time), answers come back
 * whatever their status. Transient failures (no connection, a timeout, HTTP 429 or 5xx) are retried
 * {@code maxRetries} times with doubling waits, then raised as {@link RetriableException}.
 *
 * <p>Messages name the method, the path and the servers ({@code scheme://host:port}: the URL may not carry
 * credentials), never a header, a credential or a document. A certificate that is not trusted or does not name the
 * host fails at once: waiting cannot fix it.
 */
final class Connection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final String JSON = "application/json";
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final OpenSearchTransport transport;
    private final OpenSearchGenericClient client;
    private final int maxRetries;
    private final Duration firstWait;
    private final String servers;

    /**
     * @param transport the client transport, from {@link Transports#create}
     * @param config the sink's settings: hosts (for messages), retries
     * @param firstWait the wait before the first retry, doubling after
     */
    Connection(OpenSearchTransport transport, SinkConfig config, Duration firstWait) {
        this.transport = transport;
        this.client = new OpenSearchGenericClient(transport);
        this.maxRetries = config.maxRetries();
        this.firstWait = firstWait;
        this.servers = config.hosts().stream()
                .map(host -> host.getScheme() + "://" + host.getHost() + (host.getPort() < 0 ? "" : ":" + host.getPort()))
                .collect(Collectors.joining(", "));
    }

    Reply get(String path) {
        return send("GET", path, Map.of(), null, JSON);
    }

    Reply put(String path, byte[] json) {
        return send("PUT", path, Map.of(), json, JSON);
    }

    Reply post(String path, byte[] json) {
        return send("POST", path, Map.of(), json, JSON);
    }

    Reply delete(String path) {
        return send("DELETE", path, Map.of(), null, JSON);
    }

    /** {@return the answer, once it is not a transient failure} @throws RetriableException after the last retry */
    Reply send(String method, String path, Map<String, String> query, byte[] body, String contentType) {
        for (int attempt = 0; ; attempt++) {
            String failure;
            Throwable cause = null;
            try {
                Reply reply = once(method, path, query, body, contentType);
                if (!reply.transientFailure()) {
                    return reply;
                }
                failure = "HTTP " + reply.status() + " (" + reply.error() + ")";
            } catch (IOException e) {
                FlussoException tls = tlsFailure(method, path, e);
                if (tls != null) {
                    throw tls;
                }
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            }
            if (attempt >= maxRetries) {
                throw new RetriableException(method + " " + path + " failed after " + (attempt + 1) + " attempts: " + failure, cause);
            }
            Duration wait = waitBefore(attempt + 1);
            LOG.warn("{} {} failed ({}), retrying in {} ms", method, path, failure, wait.toMillis());
            sleep(wait);
        }
    }

    /**
     * {@return the failure of a TLS handshake that will fail the same way on every attempt, or null} A certificate
     * that no trusted CA signed, one that does not name the host, or a server that does not speak TLS at all is a
     * setting to fix; a handshake cut short by the network is not, and is retried.
     */
    private FlussoException tlsFailure(String method, String path, IOException e) {
        String where = method + " " + path + " to OpenSearch at " + servers + " failed: ";
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            boolean wrongName = cause instanceof SSLPeerUnverifiedException || message.contains("subject alternative")
                    || message.contains("doesn't match");
            if (wrongName && (cause instanceof SSLException || cause instanceof CertificateException)) {
                return new FlussoException(where + "the server's TLS certificate does not name the host in the url ("
                        + message + "): connect by a name or address the certificate holds, or set tls_verify = false"
                        + " (test clusters only)", e);
            }
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
                    || cause instanceof CertPathBuilderException) {
                return new FlussoException(where + "the server's TLS certificate is not trusted (" + message + "): set"
                        + " ca_file to the PEM certificate of the CA that signed it, or trust_store, or tls_verify = false"
                        + " (test clusters only)", e);
            }
            if (cause instanceof SSLException && message.contains("plaintext connection")) {
                return new FlussoException(where + "the server does not answer TLS (" + message + "): use an http://"
                        + " url, or enable TLS on the server", e);
            }
        }
        return null;
    }

    /** {@return the wait before the given retry, counting from 1: doubling from the first, at most 10 s} */
    Duration waitBefore(int retry) {
        Duration wait = firstWait;
        for (int i = 1; i < retry && wait.compareTo(MAX_WAIT) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlussoException("interrupted while waiting to retry a request to OpenSearch", e);
        }
    }

    /**
     * {@return the answer of one attempt, whatever its status} For a request whose failure costs nothing but a delay,
     * such as a refresh: it is not worth a retry's wait.
     *
     * @throws java.io.UncheckedIOException when no answer came
     */
    Reply sendOnce(String method, String path, Map<String, String> query) {
        try {
            return once(method, path, query, null, JSON);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + " got no answer from " + servers + ": " + e.getMessage(), e);
        }
    }

    private Reply once(String method, String path, Map<String, String> query, byte[] body, String contentType)
            throws IOException {
        Requests.JsonBodyBuilder builder = Requests.builder().method(method).endpoint(path).query(query);
        if (body != null) {
            builder.body(Body.from(body, contentType));
        }
        Request request = builder.build();
        try (Response response = client.execute(request)) {
            Optional<Body> answer = response.getBody();
            byte[] bytes = answer.isPresent() ? answer.get().bodyAsBytes() : new byte[0];
            return new Reply(response.getStatus(), bytes);
        } catch (IOException e) {
            // The transport raises some error statuses (401, 403, 5xx) instead of returning them, possibly wrapped:
            // they are answers too. Their body is not reachable (its type is not exported), so the status must do.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ResponseException answer) {
                    return new Reply(answer.status(), new byte[0]);
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("closing the OpenSearch transport failed", e);
        }
    }
}
