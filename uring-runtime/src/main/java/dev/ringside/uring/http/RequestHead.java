package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A parsed request head copied off the loop's buffers for a worker thread: the head's bytes
 * in a heap array (containers such as Tomcat keep {@code byte[]} views of them) and the
 * parser's offsets rebased to that array. Filled by the loop once, then read-only for the
 * worker until the exchange is released; pooled with its exchange, so it allocates only when
 * a head is larger than any before it.
 */
public final class RequestHead {
    private byte[] bytes = new byte[2048];
    private int length;
    private int methodStart, methodEnd, targetStart, targetEnd, pathStart, pathEnd, queryStart, queryEnd;
    private HttpMethod method;
    private HttpVersion version;
    private int headerCount;
    private int[] fields = new int[4 * 32];
    private long contentLength;
    private boolean chunked, expectContinue, keepAlive, upgrade;
    private String remoteAddr, localAddr;
    private int remotePort, localPort;
    private long startNanos;

    void fill(MemorySegment seg, HttpRequestParser p, HttpConnection c, long startNanos) {
        long base = p.requestStart();
        length = (int) (p.headEnd() - base);
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, base, bytes, 0, length);
        methodStart = (int) (p.methodStart() - base);
        methodEnd = (int) (p.methodEnd() - base);
        targetStart = (int) (p.targetStart() - base);
        targetEnd = (int) (p.targetEnd() - base);
        pathStart = (int) (p.pathStart() - base);
        pathEnd = (int) (p.pathEnd() - base);
        queryStart = p.queryStart() < 0 ? -1 : (int) (p.queryStart() - base);
        queryEnd = p.queryStart() < 0 ? -1 : (int) (p.queryEnd() - base);
        method = p.method();
        version = p.version();
        headerCount = p.headerCount();
        if (fields.length < 4 * headerCount) {
            fields = new int[4 * headerCount];
        }
        for (int i = 0; i < headerCount; i++) {
            fields[4 * i] = (int) (p.headerNameStart(i) - base);
            fields[4 * i + 1] = (int) (p.headerNameEnd(i) - base);
            fields[4 * i + 2] = (int) (p.headerValueStart(i) - base);
            fields[4 * i + 3] = (int) (p.headerValueEnd(i) - base);
        }
        contentLength = p.contentLength();
        chunked = p.chunked();
        expectContinue = p.expectContinue();
        keepAlive = p.keepAlive() && !c.closeAfterResponse; // the client allows it and the loop will too
        upgrade = p.upgrade();
        remoteAddr = c.remoteAddr;
        remotePort = c.remotePort;
        localAddr = c.localAddr;
        localPort = c.localPort;
        this.startNanos = startNanos;
    }

    /** The head from the request line to the blank line; valid bytes are [0, {@link #length()}). */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public HttpMethod method() {
        return method;
    }

    public int methodStart() {
        return methodStart;
    }

    public int methodEnd() {
        return methodEnd;
    }

    public int targetStart() {
        return targetStart;
    }

    public int targetEnd() {
        return targetEnd;
    }

    /** See {@link HttpRequestParser#pathStart()}. */
    public int pathStart() {
        return pathStart;
    }

    public int pathEnd() {
        return pathEnd;
    }

    /** After the '?', or -1 without a query. */
    public int queryStart() {
        return queryStart;
    }

    public int queryEnd() {
        return queryEnd;
    }

    public HttpVersion version() {
        return version;
    }

    public int headerCount() {
        return headerCount;
    }

    public int headerNameStart(int i) {
        return fields[4 * i];
    }

    public int headerNameEnd(int i) {
        return fields[4 * i + 1];
    }

    public int headerValueStart(int i) {
        return fields[4 * i + 2];
    }

    public int headerValueEnd(int i) {
        return fields[4 * i + 3];
    }

    /** The Content-Length, or -1 without one. */
    public long contentLength() {
        return contentLength;
    }

    public boolean chunked() {
        return chunked;
    }

    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    public boolean expectContinue() {
        return expectContinue;
    }

    /** The connection may stay open after this exchange: the client allows it (RFC 9112 §9.3), and the server is neither stopping nor at its per-connection request limit. */
    public boolean keepAlive() {
        return keepAlive;
    }

    public boolean upgrade() {
        return upgrade;
    }

    public String remoteAddr() {
        return remoteAddr;
    }

    public int remotePort() {
        return remotePort;
    }

    public String localAddr() {
        return localAddr;
    }

    public int localPort() {
        return localPort;
    }

    /** {@link System#nanoTime()} when the head was complete. */
    public long startNanos() {
        return startNanos;
    }

    /** For logs and tests; allocates. */
    public String string(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return string(0, Math.min(length, targetEnd + 10));
    }
}
