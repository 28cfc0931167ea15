package dev.flusso.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Makes a cluster TLS-only: certificates, the {@code ssl} settings, and a {@code pg_hba.conf} of hostssl lines. */
final class Tls {

    // No host or hostnossl line: a TCP connection without TLS matches nothing and is refused.
    private static final String HBA = """
            # flusso test cluster with TLS: every TCP connection, for databases and for replication, must use TLS
            local     all           all                   trust
            local     replication   all                   trust
            hostssl   all           all     127.0.0.1/32  trust
            hostssl   replication   all     127.0.0.1/32  trust
            """;

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
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare TLS in " + folder, e);
        }
    }
}
