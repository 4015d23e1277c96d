package dev.ringside.bridge.tomcat;

import dev.ringside.uring.http.HeadBytes;
import dev.ringside.uring.http.OffloadedExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/**
 * The response body on its way to the exchange: framed by Content-Length (identity), chunked,
 * or dropped (HEAD, 1xx, 204, 205, 304), and gzip-compressed first when the connector's
 * compression settings chose it. One per processor, reset per response.
 */
final class ResponseBody {
    enum Framing { IDENTITY, CHUNKED, VOID }

    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final HeadBytes chunkLine = new HeadBytes(16);
    private final OutputStream framed = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeFramed(b, off, len);
        }
    };
    private OffloadedExchange exchange;
    private Framing framing = Framing.IDENTITY;
    private GZIPOutputStream gzip;
    private boolean finished;

    /** Before the head is written, so a write after a failed head fails as an I/O error too. */
    void start(OffloadedExchange exchange, Framing framing) {
        this.exchange = exchange;
        this.framing = framing;
        this.finished = false;
        this.gzip = null;
    }

    /** After the head: gzip writes its own header at once. */
    void compress() throws IOException {
        if (framing != Framing.VOID) {
            gzip = new GZIPOutputStream(framed, 8192, true);
        }
    }

    /** Application bytes: the buffer's position moves to its limit. */
    void write(ByteBuffer chunk) throws IOException {
        int n = chunk.remaining();
        if (n == 0 || framing == Framing.VOID || finished) {
            chunk.position(chunk.limit());
            return;
        }
        if (gzip != null) {
            if (chunk.hasArray()) {
                gzip.write(chunk.array(), chunk.arrayOffset() + chunk.position(), n);
                chunk.position(chunk.limit());
            } else {
                byte[] copy = new byte[n];
                chunk.get(copy);
                gzip.write(copy, 0, n);
            }
            return;
        }
        if (framing == Framing.CHUNKED) {
            writeChunkLine(n);
            exchange.write(chunk);
            exchange.write(LAST_CHUNK, 1, 2);
        } else {
            exchange.write(chunk);
        }
    }

    /** Pushes what compression holds (sync flush) so a flush reaches the client. */
    void flushCompressed() throws IOException {
        if (gzip != null && !finished) {
            gzip.flush();
        }
    }

    /** Ends the body: the compressor's trailer and the last chunk. Idempotent. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        if (gzip != null) {
            gzip.finish();
        }
        finished = true;
        if (framing == Framing.CHUNKED) {
            exchange.write(LAST_CHUNK, 0, LAST_CHUNK.length);
        }
    }

    void recycle() {
        exchange = null;
        gzip = null;
        framing = Framing.IDENTITY;
        finished = false;
    }

    private void writeFramed(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (framing == Framing.CHUNKED) {
            writeChunkLine(len);
            exchange.write(b, off, len);
            exchange.write(LAST_CHUNK, 1, 2);
        } else {
            exchange.write(b, off, len);
        }
    }

    private void writeChunkLine(int size) throws IOException {
        chunkLine.clear().putHex(size).crlf();
        exchange.write(chunkLine.bytes(), 0, chunkLine.length());
    }
}
