package dev.flusso.sink.opensearch;

import dev.flusso.testing.postgres.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away certificates for a TLS test server, made with {@code openssl} at test time: roots come from the harness's
 * {@link Certificates#root}; a server certificate for any names is signed by one of them here and packed with its key
 * into a PKCS#12 key store the JDK's TLS server can use.
 */
final class ServerCertificates {

    static final char[] PASSWORD = "changeit".toCharArray();

    private ServerCertificates() {
    }

    /**
     * @param root a root made by {@link Certificates#root}; its key lies beside it
     * @param name the files' base name, in the root's folder
     * @param names the subject alternative names, such as {@code IP:127.0.0.1,DNS:localhost}
     * @return a PKCS#12 key store holding the server's key and certificate, password {@link #PASSWORD}
     */
    static KeyStore server(Path root, String name, String names) {
        Path folder = root.getParent();
        String rootName = root.getFileName().toString().replaceFirst("\\.crt$", "");
        Path key = folder.resolve(name + ".key");
        Path request = folder.resolve(name + ".csr");
        Path certificate = folder.resolve(name + ".crt");
        Path store = folder.resolve(name + ".p12");
        Path extensions = folder.resolve(name + ".ext");
        try {
            Files.writeString(extensions, "subjectAltName=" + names + "\nbasicConstraints=critical,CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(folder, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", request.toString(), "-subj", "/CN=" + name);
        openssl(folder, "x509", "-req", "-in", request.toString(), "-CA", root.toString(),
                "-CAkey", folder.resolve(rootName + ".key").toString(), "-set_serial", Long.toString(System.nanoTime()),
                "-days", "2", "-out", certificate.toString(), "-extfile", extensions.toString());
        openssl(folder, "pkcs12", "-export", "-in", certificate.toString(), "-inkey", key.toString(), "-name", "server",
                "-out", store.toString(), "-passout", "pass:" + new String(PASSWORD));
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD);
            return keys;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store " + store, e);
        }
    }

    /** {@return a PKCS#12 trust store file holding the root certificate, protected by {@code password}} */
    static Path trustStore(Path root, String password) {
        Path store = root.resolveSibling(root.getFileName() + ".p12");
        try (InputStream in = Files.newInputStream(root); OutputStream out = Files.newOutputStream(store)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
            trusted.store(out, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store " + store, e);
        }
    }

    private static void openssl(Path folder, String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running openssl", e);
        }
    }
}
