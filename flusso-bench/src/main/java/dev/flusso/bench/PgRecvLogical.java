package dev.flusso.bench;

import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.process.Unprivileged;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The decoding limit: {@code pg_recvlogical} (from {@code pg_config --bindir}, run as the unprivileged user like the
 * server) draining a pgoutput slot up to a position, its output read and discarded. Timed from its first byte to its
 * end, so process start is not counted, as the captures are timed from their first change.
 */
final class PgRecvLogical {

    private PgRecvLogical() {
    }

    /** {@return seconds from the first decoded byte to the end position} */
    static double drain(PostgresDatabase database, String slot, String publication, String endLsn) throws IOException, InterruptedException {
        List<String> command = Unprivileged.command(List.of(bin().resolve("pg_recvlogical").toString(),
                "-d", "host=127.0.0.1 port=" + database.server().port() + " user=postgres dbname=" + database.name(),
                "--slot", slot, "--start", "--no-loop", "-o", "proto_version=1", "-o", "publication_names=" + publication,
                "--endpos", endLsn, "-f", "-"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long first = 0;
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (first == 0 && n > 0) {
                    first = System.nanoTime();
                }
                bytes += n;
            }
        }
        long end = System.nanoTime();
        if (process.waitFor() != 0 || bytes == 0) {
            throw new IllegalStateException("pg_recvlogical failed on slot '" + slot + "' (exit " + process.exitValue()
                    + ", " + bytes + " bytes)");
        }
        return (end - first) / 1e9;
    }

    private static Path bin() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("pg_config", "--bindir").start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        process.waitFor();
        return Path.of(out);
    }
}
