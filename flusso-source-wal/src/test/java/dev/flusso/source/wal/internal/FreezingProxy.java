package dev.flusso.source.wal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that can stop forwarding the connections it carries without closing them: a
 * network cut, or a firewall dropping the flows, as the capture sees it (no FIN, no RST, nothing arrives). Connections
 * opened after a freeze are forwarded again, as a network that came back would.
 */
final class FreezingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger replicationConnections = new AtomicInteger();

    FreezingProxy(int target) throws IOException {
        this(InetAddress.getLoopbackAddress(), target);
    }

    /** A proxy listening on another address, such as {@code 127.0.0.2}: a host name a certificate may not hold. */
    FreezingProxy(InetAddress address, int target) throws IOException {
        this.target = target;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0));
        Thread acceptor = new Thread(this::accept, "freezing-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@return how many replication connections were opened through the proxy} */
    int replicationConnections() {
        return replicationConnections.get();
    }

    /** Stops forwarding on every connection open now, or only on replication connections; keeps them open. */
    void freeze(boolean replicationOnly) {
        for (Link link : links) {
            if (!replicationOnly || link.replication) {
                link.frozen = true;
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Link link : links) {
            link.close();
        }
    }

    /** One proxied connection: two pumps that, once frozen, hold what they read and wait. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean frozen;
        private volatile boolean replication;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, true);
            pump(upstream, client, false);
        }

        private void pump(Socket from, Socket to, boolean fromClient) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                long seen = 0;
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        if (fromClient && seen < 4096) {
                            // The startup message names the replication mode: "replication\0database".
                            if (new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("replication") && !replication) {
                                replication = true;
                                replicationConnections.incrementAndGet();
                            }
                            seen += n;
                        }
                        while (frozen && !from.isClosed()) {
                            Thread.sleep(50);
                        }
                        if (frozen) {
                            return;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // one side went away
                }
                if (!frozen) {
                    close();
                }
            }, "freezing-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
            try {
                upstream.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
