package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Renders a response head into a segment: a status line, field lines, and the empty line.
 *
 * <p>Each method writes at {@code at} and returns the offset after what it wrote, or -1 when that
 * would pass {@code limit}; given -1 it does nothing and returns -1, so a head is written as a
 * chain and checked once at the end:
 *
 * <pre>{@code
 * long p = w.statusLine(seg, off, lim, 200);
 * p = w.date(seg, p, lim);
 * p = w.header(seg, p, lim, ResponseHeader.CONTENT_LENGTH, size);
 * p = w.end(seg, p, lim);
 * if (p < 0) ... // did not fit
 * }</pre>
 *
 * <p>Nothing is allocated. One writer per event loop: its Date cache is not thread-safe.
 */
public final class ResponseHeadWriter {

    private static final short CRLF = (short) ('\r' | '\n' << 8);
    private static final short COLON_SP = (short) (':' | ' ' << 8);
    private static final byte[] HTTP_1_1_SP = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};
    private static final byte[] CLOSE = {'c', 'l', 'o', 's', 'e'};
    private static final byte[] TEXT_PLAIN = "text/plain; charset=utf-8".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final HttpDate date = new HttpDate();

    /** {@code HTTP/1.1 <status> <reason>\r\n}; a status without a pre-encoded line gets an empty reason. */
    public long statusLine(MemorySegment seg, long at, long limit, int status) {
        return statusLine(seg, at, limit, status, true);
    }

    /** As {@link #statusLine(MemorySegment, long, long, int)}, or with no reason phrase at all: {@code HTTP/1.1 200 }. */
    public long statusLine(MemorySegment seg, long at, long limit, int status, boolean reasonPhrase) {
        if (at < 0) return -1;
        byte[] line = reasonPhrase ? StatusLines.line(status) : StatusLines.bareLine(status);
        if (line != null) return bytes(seg, at, limit, line);
        if (status < 100 || status > 999) throw new IllegalArgumentException("status " + status);
        long p = bytes(seg, at, limit, HTTP_1_1_SP);
        p = decimal(seg, p, limit, status);
        if (p < 0 || p + 3 > limit) return -1;
        seg.set(ValueLayout.JAVA_BYTE, p, (byte) ' ');
        return crlf(seg, p + 1, limit);
    }

    public long header(MemorySegment seg, long at, long limit, ResponseHeader name, byte[] value) {
        long p = bytes(seg, at, limit, name.prefix);
        p = bytes(seg, p, limit, value);
        return crlf(seg, p, limit);
    }

    public long header(MemorySegment seg, long at, long limit, ResponseHeader name, long value) {
        long p = bytes(seg, at, limit, name.prefix);
        p = decimal(seg, p, limit, value);
        return crlf(seg, p, limit);
    }

    /**
     * A field line with any name: {@code nameBytes} is the bare name (no colon), {@code value}
     * the value. Neither is checked: they are the caller's constants, or were validated when
     * they came in.
     */
    public long header(MemorySegment seg, long at, long limit, byte[] nameBytes, byte[] value) {
        long p = bytes(seg, at, limit, nameBytes);
        if (p < 0 || p + 2 > limit) return -1;
        seg.set(HttpBytes.SHORT, p, COLON_SP);
        p = bytes(seg, p + 2, limit, value);
        return crlf(seg, p, limit);
    }

    /** A field line whose value is copied from [from, to) of {@code src}, e.g. a request's field. */
    public long header(MemorySegment seg, long at, long limit, ResponseHeader name, MemorySegment src, long from,
                       long to) {
        long p = bytes(seg, at, limit, name.prefix);
        if (p < 0 || p + (to - from) > limit) return -1;
        MemorySegment.copy(src, from, seg, p, to - from);
        return crlf(seg, p + (to - from), limit);
    }

    /** {@code Date: <now as IMF-fixdate>}, from a cache refreshed at most once per second. */
    public long date(MemorySegment seg, long at, long limit) {
        return date(seg, at, limit, System.currentTimeMillis());
    }

    /** {@code Date} for the given time (tests, and loops that read the clock once per batch). */
    public long date(MemorySegment seg, long at, long limit, long epochMillis) {
        long p = bytes(seg, at, limit, ResponseHeader.DATE.prefix);
        p = bytes(seg, p, limit, date.bytes(epochMillis));
        return crlf(seg, p, limit);
    }

    /**
     * Pre-rendered field lines (each already ending in CRLF), such as a cached file's
     * Content-Type, Content-Length, Last-Modified and ETag, copied as they are.
     */
    public long lines(MemorySegment seg, long at, long limit, byte[] renderedLines) {
        return bytes(seg, at, limit, renderedLines);
    }

    /** The empty line that ends the head. */
    public long end(MemorySegment seg, long at, long limit) {
        return crlf(seg, at, limit);
    }

    /**
     * A whole error response: status line, Date, {@code Connection: close} and either
     * {@code Content-Length: 0} or, with {@code body}, a text/plain body of
     * {@code <status> <reason>\n}. The caller sends it and closes the connection.
     */
    public long errorResponse(MemorySegment seg, long at, long limit, int status, boolean body) {
        long p = statusLine(seg, at, limit, status);
        p = date(seg, p, limit);
        p = header(seg, p, limit, ResponseHeader.CONNECTION, CLOSE);
        if (!body) {
            p = header(seg, p, limit, ResponseHeader.CONTENT_LENGTH, 0);
            return end(seg, p, limit);
        }
        byte[] line = StatusLines.line(status);
        // The body is the status line without "HTTP/1.1 " and with LF instead of CRLF.
        int length = line == null ? 4 : line.length - HTTP_1_1_SP.length - 1;
        p = header(seg, p, limit, ResponseHeader.CONTENT_TYPE, TEXT_PLAIN);
        p = header(seg, p, limit, ResponseHeader.CONTENT_LENGTH, length);
        p = end(seg, p, limit);
        if (p < 0 || p + length > limit) return -1;
        if (line == null) {
            p = decimal(seg, p, limit, status);
        } else {
            MemorySegment.copy(line, HTTP_1_1_SP.length, seg, ValueLayout.JAVA_BYTE, p, length - 1);
            p += length - 1;
        }
        seg.set(ValueLayout.JAVA_BYTE, p, (byte) '\n');
        return p + 1;
    }

    private static long bytes(MemorySegment seg, long at, long limit, byte[] b) {
        if (at < 0 || at + b.length > limit) return -1;
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, at, b.length);
        return at + b.length;
    }

    private static long crlf(MemorySegment seg, long at, long limit) {
        if (at < 0 || at + 2 > limit) return -1;
        seg.set(HttpBytes.SHORT, at, CRLF);
        return at + 2;
    }

    /** A non-negative decimal, written from its last digit back. */
    static long decimal(MemorySegment seg, long at, long limit, long v) {
        if (at < 0) return -1;
        if (v < 0) throw new IllegalArgumentException("negative: " + v);
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) digits++;
        if (at + digits > limit) return -1;
        long p = at + digits;
        do {
            seg.set(ValueLayout.JAVA_BYTE, --p, (byte) ('0' + v % 10));
            v /= 10;
        } while (v != 0);
        return at + digits;
    }
}
