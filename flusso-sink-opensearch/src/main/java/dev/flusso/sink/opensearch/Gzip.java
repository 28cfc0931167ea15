package dev.flusso.sink.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip of request bodies, done once per request and at the fastest level: bulk bodies are repetitive NDJSON, which
 * level 1 already shrinks several times over, while higher levels cost the CPU OpenSearch shares on small machines.
 */
final class Gzip {

    /** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
    static final int WORTH_IT = 1024;

    private Gzip() {
    }

    static byte[] compress(byte[] body) {
        // Sized for the usual ratio of bulk bodies, so the buffer rarely grows.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, body.length / 4));
        try (FastGzip gzip = new FastGzip(out, Math.min(body.length, 64 * 1024))) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress a request body", e);
        }
        return out.toByteArray();
    }

    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out, int buffer) throws IOException {
            super(out, Math.max(512, buffer));
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
