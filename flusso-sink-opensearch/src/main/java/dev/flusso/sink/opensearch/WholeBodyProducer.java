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
 * opensearch-java's {@code HttpEntityAsyncEntityProducer} (one piece per output event, buffer size fixed).
 *
 * <p>Why: measured on one loopback connection to OpenSearch 2.19.6, a 150 KB bulk body written in 8 KiB pieces is
 * answered 40–60 ms late on most requests, although the client has written it all within 3 ms (strace); the same
 * body through the same client and connection written in one piece is answered at once, like the JDK client's.
 * TCP_NODELAY is on either way (httpcore5's default) and switching it changes nothing. The README's benchmark
 * section has the figures.
 *
 * <p>How: the first {@link #produce} drains the original producer into memory through a collecting channel (every
 * body the sink sends is a byte array already, so this copies once and never blocks), then writes what remains of
 * it whenever the connection can take more. The original's details (length, type, encoding, chunking) are kept, so
 * the request's headers do not change. A producer that is not repeatable (a stream, which this sink never sends) is
 * left alone.
 */
final class WholeBodyProducer implements AsyncEntityProducer {

    /** Passes every request on with its body wrapped; for {@code HttpAsyncClientBuilder.addExecInterceptorFirst}. */
    static final AsyncExecChainHandler INTERCEPTOR = (request, body, scope, chain, callback) ->
            chain.proceed(request, wrap(body), scope, callback);

    // A producer that writes nothing this many times in a row while draining is not an in-memory body.
    private static final int MAX_IDLE_CALLS = 1000;

    private final AsyncEntityProducer original;
    private ByteBuffer body;

    private WholeBodyProducer(AsyncEntityProducer original) {
        this.original = original;
    }

    /** {@return {@code producer} wrapped when it is repeatable, else itself; {@code null} stays {@code null}} */
    static AsyncEntityProducer wrap(AsyncEntityProducer producer) {
        return producer == null || !producer.isRepeatable() || producer instanceof WholeBodyProducer
                ? producer : new WholeBodyProducer(producer);
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        if (body == null) {
            body = ByteBuffer.wrap(drain());
        }
        // Writes as much as the connection takes; it asks again when it can take more.
        while (body.hasRemaining()) {
            if (channel.write(body) == 0) {
                return;
            }
        }
        channel.endStream();
    }

    private byte[] drain() throws IOException {
        Collector collector = new Collector();
        int idle = 0;
        while (!collector.ended) {
            int before = collector.size();
            original.produce(collector);
            idle = collector.size() == before && !collector.ended ? idle + 1 : 0;
            if (idle > MAX_IDLE_CALLS) {
                throw new IOException("the request body did not come out in one go: it is not held in memory");
            }
        }
        return collector.toByteArray();
    }

    @Override
    public int available() {
        return body == null ? Integer.MAX_VALUE : body.remaining();
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public long getContentLength() {
        return original.getContentLength();
    }

    @Override
    public String getContentType() {
        return original.getContentType();
    }

    @Override
    public String getContentEncoding() {
        return original.getContentEncoding();
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
        body = null;
        original.releaseResources();
    }

    /** Takes everything it is given; remembers whether the stream ended. */
    private static final class Collector extends ByteArrayOutputStream implements DataStreamChannel {
        private boolean ended;

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
                byte[] bytes = new byte[count];
                source.get(bytes);
                writeBytes(bytes);
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
