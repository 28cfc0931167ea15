package dev.flusso.sink.opensearch;

import dev.flusso.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
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
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
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
                .setCompressionEnabled(config.compression())
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
        HostnameVerifier names = config.tlsVerify() ? null : NoopHostnameVerifier.INSTANCE;
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).setHostnameVerifier(names).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .setMaxConnPerRoute(ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_PER_ROUTE)
                .setMaxConnTotal(ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_TOTAL)
                .build();
        // Bodies go to the connection whole, not in the transport's 8 KiB pieces, which OpenSearch answers tens of
        // milliseconds late: see WholeBodyProducer.
        builder.setHttpClientConfigCallback(http -> http.setConnectionManager(connections)
                .addExecInterceptorFirst("flusso-whole-body", WholeBodyProducer.INTERCEPTOR));
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
            throw new ConfigurationException("cannot set up TLS trust from the ca_file or trust_store setting: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static List<? extends Certificate> certificates(SinkConfig config) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(config.caFile().get())) {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new ConfigurationException("the ca_file setting names a file without PEM certificates");
            }
            return certificates;
        }
    }

    /** Trusts any certificate: {@code tls_verify = false}, for test clusters with self-signed certificates only. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
