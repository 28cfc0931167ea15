package dev.flusso.sink.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * Hands a request body to the connection in as few writes as it takes, instead of the 8 KiB pieces of
 * opensearch-java's {@code HttpEntityAsyncEntityProducer} (one piece per output event, buffer size fixed), and
 * gzip-compresses it when the sink's {@code compression} is on.
 *
 * <p>Why whole: measured on one loopback connection to OpenSearch 2.19.6, a 150 KB bulk body written in 8 KiB pieces
 * is answered 40–60 ms late on most requests, although the client has written it all within 3 ms (strace); the same
 * body through the same client and connection written in one piece is answered at once, like the JDK client's.
 * TCP_NODELAY is on either way (httpcore5's default) and switching it changes nothing. The README's benchmark
 * section has the figures.
 *
 * <p>Why compress here: the body is in memory once it is drained, so it is compressed once, at the fastest level
 * ({@link Gzip}), and its length and {@code Content-Encoding} are known before the request's headers are written
 * (the exec interceptor runs before the protocol interceptors that write them).
 *
 * <p>How: the interceptor drains the original producer into memory through a collecting channel (every body the sink
 * sends is a byte array already, so this copies once and never blocks); {@link #produce} writes what remains
 * whenever the connection can take more. The original's type and chunking are kept. A producer that is not
 * repeatable (a stream, which this sink never sends) is left alone.
 */
final class WholeBodyProducer implements AsyncEntityProducer {

    // A producer that writes nothing this many times in a row while draining is not an in-memory body.
    private static final int MAX_IDLE_CALLS = 1000;

    private final AsyncEntityProducer original;
    private final byte[] bytes;
    private final String encoding;
    private ByteBuffer body;

    private WholeBodyProducer(AsyncEntityProducer original, byte[] bytes, String encoding) {
        this.original = original;
        this.bytes = bytes;
        this.encoding = encoding;
        this.body = ByteBuffer.wrap(bytes);
    }

    /**
     * {@return an interceptor that passes every request on with its body whole, and gzip-compressed if {@code gzip}}
     * For {@code HttpAsyncClientBuilder.addExecInterceptorFirst}.
     */
    static AsyncExecChainHandler interceptor(boolean gzip) {
        return (request, body, scope, chain, callback) -> chain.proceed(request, wrap(body, gzip), scope, callback);
    }

    /** {@return {@code producer} drained and wrapped when it is repeatable, else itself; {@code null} stays {@code null}} */
    static AsyncEntityProducer wrap(AsyncEntityProducer producer, boolean gzip) throws IOException {
        if (producer == null || !producer.isRepeatable() || producer instanceof WholeBodyProducer) {
            return producer;
        }
        byte[] bytes = drain(producer);
        if (gzip && producer.getContentEncoding() == null && bytes.length >= Gzip.WORTH_IT) {
            return new WholeBodyProducer(producer, Gzip.compress(bytes), "gzip");
        }
        return new WholeBodyProducer(producer, bytes, producer.getContentEncoding());
    }

    private static byte[] drain(AsyncEntityProducer original) throws IOException {
        long length = original.getContentLength();
        Collector collector = new Collector(length > 0 && length < Integer.MAX_VALUE ? (int) length : 8192);
        int idle = 0;
        try {
            while (!collector.ended) {
                int before = collector.size();
                original.produce(collector);
                idle = collector.size() == before && !collector.ended ? idle + 1 : 0;
                if (idle > MAX_IDLE_CALLS) {
                    throw new IOException("the request body did not come out in one go: it is not held in memory");
                }
            }
        } finally {
            // Its content is held here now; a repeated attempt is served from the copy.
            original.releaseResources();
        }
        return collector.toByteArray();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        // Writes as much as the connection takes; it asks again when it can take more.
        while (body.hasRemaining()) {
            if (channel.write(body) == 0) {
                return;
            }
        }
        channel.endStream();
    }

    @Override
    public int available() {
        return body.remaining();
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public long getContentLength() {
        return original.isChunked() ? -1 : bytes.length;
    }

    @Override
    public String getContentType() {
        return original.getContentType();
    }

    @Override
    public String getContentEncoding() {
        return encoding;
    }

    @Override
    public boolean isChunked() {
        return original.isChunked();
    }

    @Override
    public Set<String> getTrailerNames() {
        return original.getTrailerNames();
    }

    @Override
    public void failed(Exception cause) {
        original.failed(cause);
    }

    /** Rewinds, so that a repeated attempt sends the same body again. */
    @Override
    public void releaseResources() {
        body = ByteBuffer.wrap(bytes);
    }

    /** Takes everything it is given; remembers whether the stream ended. */
    private static final class Collector extends ByteArrayOutputStream implements DataStreamChannel {
        private boolean ended;

        Collector(int size) {
            super(size);
        }

        @Override
        public void requestOutput() {
        }

        @Override
        public int write(ByteBuffer source) {
            int count = source.remaining();
            if (source.hasArray()) {
                write(source.array(), source.arrayOffset() + source.position(), count);
                source.position(source.limit());
            } else {
                byte[] chunk = new byte[count];
                source.get(chunk);
                writeBytes(chunk);
            }
            return count;
        }

        @Override
        public void endStream() {
            ended = true;
        }

        @Override
        public void endStream(List<? extends Header> trailers) {
            ended = true;
        }
    }
}
