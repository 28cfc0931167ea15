package dev.flusso.sink.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * Terminates TLS in front of a plain-HTTP server: a JDK {@link SSLServerSocket} on a free loopback port whose
 * connections are copied both ways to the server. The integ-test OpenSearch has no security plugin, so this is how the
 * sink's TLS settings meet a real handshake and a real server behind it.
 */
final class TlsProxy implements AutoCloseable {

    private final SSLServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();

    /**
     * @param identity the server's key and certificate, password {@link ServerCertificates#PASSWORD}
     * @param target the plain-HTTP port on 127.0.0.1 to forward to
     */
    TlsProxy(KeyStore identity, int target) {
        this.target = target;
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, ServerCertificates.PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the TLS proxy", e);
        }
        Thread acceptor = new Thread(this::accept, "tls-proxy-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@return the proxy's https URL with the given host, such as {@code 127.0.0.1} or {@code localhost}} */
    String url(String host) {
        return "https://" + host + ":" + port();
    }

    /** {@return how many TLS handshakes completed, so a test can tell the proxy was really used} */
    int handshakes() {
        return handshakes.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread connection = new Thread(() -> serve(client), "tls-proxy-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target)) {
            sockets.add(upstream);
            ((javax.net.ssl.SSLSocket) client).startHandshake();
            handshakes.incrementAndGet();
            Thread back = new Thread(() -> copy(upstream, client), "tls-proxy-answers");
            back.setDaemon(true);
            back.start();
            copy(client, upstream);
            back.join();
        } catch (IOException e) {
            // a refused handshake or a closed connection: the client sees it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            try {
                to.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
