package dev.flusso.sink.opensearch;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server that answers each request with the next scripted answer, and records what it was sent: for
 * answers a real server cannot be made to give on demand (an item refused for load, a 503).
 */
final class StubServer implements AutoCloseable {

    record Answer(int status, String body) {
    }

    /** A request as received; a gzip body is decompressed, and its encoding kept. */
    record Received(String method, String path, String authorization, String body, String contentEncoding, int bytes) {
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    StubServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            byte[] plain = "gzip".equals(encoding)
                    ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes() : raw;
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), new String(plain, StandardCharsets.UTF_8), encoding,
                    raw.length));
            Answer answer;
            synchronized (script) {
                answer = script.isEmpty() ? new Answer(500, "{\"error\":\"unscripted\"}") : script.poll();
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    StubServer then(int status, String body) {
        synchronized (script) {
            script.add(new Answer(status, body));
        }
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
