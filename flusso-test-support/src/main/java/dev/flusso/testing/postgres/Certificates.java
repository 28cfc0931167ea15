package dev.flusso.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away TLS certificates for test servers, made with {@code openssl} (Debian's {@code openssl} package) at test
 * time: a self-signed root, and a server certificate it signs for {@code 127.0.0.1} and {@code localhost}. Keys are
 * P-256 (fast to make), unencrypted, mode 0600; everything is valid for two days.
 */
public final class Certificates {

    /** The names the server certificate is valid for (its subject alternative names). */
    public static final String SERVER_NAMES = "IP:127.0.0.1,DNS:localhost";

    private static final String ROOT_EXTENSIONS = "basicConstraints=critical,CA:TRUE\n"
            + "keyUsage=critical,keyCertSign,cRLSign\n";
    private static final String SERVER_EXTENSIONS = "subjectAltName=" + SERVER_NAMES + "\n"
            + "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n";

    private static final String CLIENT_EXTENSIONS = "basicConstraints=critical,CA:FALSE\n"
            + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";

    private Certificates() {
    }

    /**
     * Makes a self-signed root certificate ({@code name.crt}, PEM) and its key ({@code name.key}) in the folder.
     * A test that needs a root that did <em>not</em> sign a server's certificate makes one with this.
     *
     * @param folder an existing folder
     * @param name the files' base name, also in the subject ({@code CN=Flusso test root name})
     * @return the certificate file
     */
    public static Path root(Path folder, String name) {
        Path certificate = folder.resolve(name + ".crt");
        Path key = folder.resolve(name + ".key");
        Path extensions = write(folder.resolve(name + ".ext"), ROOT_EXTENSIONS);
        openssl(folder, "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=Flusso test root " + name, "-extensions", "v3_root", "-config", config(folder, extensions));
        privateFile(key);
        return certificate;
    }

    /**
     * Makes a server certificate ({@code name.crt}) for {@value #SERVER_NAMES}, signed by a root made with
     * {@link #root}, and its key ({@code name.key}, mode 0600).
     *
     * @param root the root certificate; its key is next to it
     * @param name the files' base name, in the root's folder
     * @return the certificate file; the key is {@code name.key} beside it
     */
    static Path server(Path root, String name) {
        Path certificate = signed(root, name, SERVER_EXTENSIONS, "/CN=127.0.0.1", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        privateFile(root.resolveSibling(name + ".key"));
        return certificate;
    }

    /** Makes a key ({@code name.key}) and a certificate ({@code name.crt}) for it, signed by the root's key. */
    private static Path signed(Path root, String name, String extensionLines, String subject, String... keyOptions) {
        Path folder = root.getParent();
        String rootName = root.getFileName().toString().replaceFirst("\\.crt$", "");
        Path certificate = folder.resolve(name + ".crt");
        Path request = folder.resolve(name + ".csr");
        Path extensions = write(folder.resolve(name + ".ext"), extensionLines);
        List<String> newKey = new ArrayList<>(List.of("req", "-new", "-newkey"));
        newKey.addAll(List.of(keyOptions));
        newKey.addAll(List.of("-nodes", "-keyout", folder.resolve(name + ".key").toString(), "-out", request.toString(),
                "-subj", subject));
        openssl(folder, newKey.toArray(String[]::new));
        openssl(folder, "x509", "-req", "-in", request.toString(), "-CA", root.toString(),
                "-CAkey", folder.resolve(rootName + ".key").toString(), "-set_serial", Long.toString(System.nanoTime()),
                "-days", "2", "-out", certificate.toString(), "-extfile", extensions.toString());
        return certificate;
    }

    /**
     * Makes a client certificate ({@code name.crt}) whose common name is a database role, signed by a root made with
     * {@link #root}, and its key twice: {@code name.key} (PEM) and {@code name.pk8} (PKCS#8, DER, unencrypted), the
     * form pgjdbc's {@code sslkey} reads.
     *
     * @param root the root certificate; its key is next to it
     * @param name the files' base name, in the root's folder
     * @param role the role the certificate authenticates as ({@code CN=role})
     * @return the certificate file
     */
    public static Path client(Path root, String name, String role) {
        Path folder = root.getParent();
        Path certificate = signed(root, name, CLIENT_EXTENSIONS, "/CN=" + role, "rsa:2048");
        Path key = folder.resolve(name + ".key");
        Path der = folder.resolve(name + ".pk8");
        openssl(folder, "pkcs8", "-topk8", "-inform", "PEM", "-outform", "DER", "-nocrypt", "-in", key.toString(),
                "-out", der.toString());
        privateFile(key);
        privateFile(der);
        return certificate;
    }

    /** A config file holding only the extension section, so the machine's openssl.cnf cannot add to it. */
    private static String config(Path folder, Path extensions) {
        try {
            String text = "[req]\ndistinguished_name = dn\n[dn]\n[v3_root]\n" + Files.readString(extensions);
            return write(folder.resolve(extensions.getFileName() + ".cnf"), text).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + extensions, e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** PostgreSQL refuses a key that others may read: 0600, owned by the server's user (see {@code Unprivileged}). */
    private static void privateFile(Path key) {
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + key + " private", e);
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
            throw new UncheckedIOException("cannot run openssl: install it (apt-get install -y openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running openssl", e);
        }
    }
}
