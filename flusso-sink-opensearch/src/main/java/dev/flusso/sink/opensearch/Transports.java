package dev.flusso.sink.opensearch;

import dev.flusso.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/** Builds the client transport from the sink's settings: hosts, TLS trust, Basic authentication, compression. */
final class Transports {

    private Transports() {
    }

    static OpenSearchTransport create(SinkConfig config) {
        HttpHost[] hosts = config.hosts().stream().map(Transports::host).toArray(HttpHost[]::new);
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(hosts)
                // WholeBodyProducer compresses request bodies itself. The transport's compression also asks for gzip
                // answers, which its generic API hands back still compressed (the sink could not read one), and it
                // compresses each body again for every length asked of it, at the default level.
                .setCompressionEnabled(false)
                // Bodies are in memory already: a Content-Length body is sent at once, not in chunks.
                .setChunkedEnabled(false);
        String path = config.hosts().get(0).getRawPath();
        if (path != null && !path.isEmpty()) {
            builder.setPathPrefix(path);
        }
        if (config.username().isPresent()) {
            // Pre-emptive: no 401 round trip (and no second upload of a bulk body) per request.
            String pair = config.username().get() + ":" + config.password();
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)), true)});
        }
        Timeout timeout = Timeout.of(config.timeout());
        SSLContext tls = sslContext(config);
        // The host name is checked by the client's verifier after the handshake (CLIENT). httpclient5 5.5's async
        // strategy sets the JDK's own check (BUILTIN, its default) on the engine's parameters after applying them, so
        // that check never runs: a certificate for another name passed (OpenSearchTlsTest). Not verifying: no check.
        ClientTlsStrategyBuilder tlsStrategy = ClientTlsStrategyBuilder.create().setSslContext(tls)
                .setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                .setHostnameVerifier(config.tlsVerify() ? HttpsSupport.getDefaultHostnameVerifier() : NoopHostnameVerifier.INSTANCE);
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(tlsStrategy.build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .setMaxConnPerRoute(ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_PER_ROUTE)
                .setMaxConnTotal(ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_TOTAL)
                .build();
        // Bodies go to the connection whole, not in the transport's 8 KiB pieces, which OpenSearch answers tens of
        // milliseconds late, and gzip-compressed when so configured: see WholeBodyProducer.
        builder.setHttpClientConfigCallback(http -> http.setConnectionManager(connections)
                .addExecInterceptorFirst("flusso-whole-body", WholeBodyProducer.interceptor(config.compression())));
        builder.setRequestConfigCallback(request -> request.setResponseTimeout(timeout).setConnectionRequestTimeout(timeout));
        return builder.build();
    }

    private static HttpHost host(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        return new HttpHost(uri.getScheme(), uri.getHost(), port);
    }

    private static SSLContext sslContext(SinkConfig config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (!config.tlsVerify()) {
                context.init(null, new TrustManager[] {new TrustingManager()}, null);
                return context;
            }
            KeyStore trusted = null;
            if (config.caFile().isPresent()) {
                trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                int i = 0;
                for (Certificate certificate : certificates(config)) {
                    trusted.setCertificateEntry("ca-" + i++, certificate);
                }
            } else if (config.trustStore().isPresent()) {
                trusted = KeyStore.getInstance(config.trustStore().get().toFile(), config.trustStorePassword().toCharArray());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            // The file is named (a path is no secret); the trust store's password is not.
            String source = config.caFile().map(file -> "ca_file '" + file + "'")
                    .or(() -> config.trustStore().map(file -> "trust_store '" + file + "'")).orElse("the JDK's trust store");
            throw new ConfigurationException("cannot set up TLS trust from " + source + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    private static List<? extends Certificate> certificates(SinkConfig config) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(config.caFile().get())) {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new ConfigurationException("ca_file '" + config.caFile().get() + "' holds no PEM certificate");
            }
            return certificates;
        }
    }

    /**
     * Trusts any certificate for any host: {@code tls_verify = false}, for test clusters with self-signed certificates
     * only. Extended, because the JDK wraps a plain trust manager in one that checks the host name after all.
     */
    private static final class TrustingManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
