package dev.flusso.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Makes a cluster TLS-only: certificates, the {@code ssl} settings, and a {@code pg_hba.conf} of hostssl lines. */
public final class Tls {

    /** A role that may log in only with a client certificate the cluster's root signed, its name as the CN. */
    public static final String CERTIFICATE_ROLE = "flusso_cert";

    // No host or hostnossl line: a TCP connection without TLS matches nothing and is refused.
    private static final String HBA = """
            # flusso test cluster with TLS: every TCP connection, for databases and for replication, must use TLS
            local     all           all                   trust
            local     replication   all                   trust
            hostssl   all           %1$s     127.0.0.1/32  cert
            hostssl   replication   %1$s     127.0.0.1/32  cert
            hostssl   all           all     127.0.0.1/32  trust
            hostssl   replication   all     127.0.0.1/32  trust
            """.formatted(CERTIFICATE_ROLE);

    private Tls() {
    }

    /**
     * Makes a root and a server certificate in {@code folder/tls}, replaces {@code data/pg_hba.conf}, and adds the
     * settings that turn TLS on. The caller hands the folder to the server's user afterwards.
     *
     * @return the root certificate
     */
    static Path prepare(Path folder, Path data, Map<String, String> settings) {
        try {
            Path tls = Files.createDirectories(folder.resolve("tls"));
            Path root = Certificates.root(tls, "root");
            Path server = Certificates.server(root, "server");
            Files.writeString(data.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            settings.put("ssl", "on");
            settings.put("ssl_cert_file", server.toString());
            settings.put("ssl_key_file", tls.resolve("server.key").toString());
            // Client certificates are checked against the same root.
            settings.put("ssl_ca_file", root.toString());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare TLS in " + folder, e);
        }
    }
}
