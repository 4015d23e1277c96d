package dev.ringside.bridge.jetty;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;

/**
 * Renders a Jetty {@link MetaData.Response} as HTTP/1.1 bytes and chooses the body's framing, the
 * job Jetty's {@code HttpGenerator} does on its own connections: Content-Length when the length is
 * known, else chunked (HTTP/1.1) or a body ended by closing the connection (HTTP/1.0); no body
 * for HEAD, 1xx, 204 and 304 (a 304 keeps a Content-Length field it was given, as Jetty's does); {@code Connection: close} whenever the connection will not be kept.
 * The fields Jetty put in (Date and Server as its {@code HttpConfiguration} says, the
 * application's) are written as they are, with CR, LF and other controls replaced by spaces so a
 * value cannot split the response. Also renders chunk lines. One buffer, reused for every piece.
 */
final class ResponseHead {
    static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[] ZERO_CHUNK_LINE = ascii("0\r\n");
    private static final byte[] HTTP11 = ascii("HTTP/1.1 ");
    private static final byte[] COLON_SP = ascii(": ");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");

    private byte[] buf = new byte[512];
    private int len;
    private boolean chunked;
    private boolean close;
    private boolean bodyAllowed;

    /**
     * @param headRequest   the request was HEAD: no body, whatever the fields say
     * @param http10        the request was HTTP/1.0: no chunking
     * @param contentLength bytes of body that will follow, or -1 if not known yet
     * @param mustClose     the connection must not be kept (the client, the server or Jetty said so)
     */
    void render(MetaData.Response response, boolean headRequest, boolean http10, long contentLength, boolean mustClose) {
        int status = response.getStatus();
        boolean noBodyStatus = HttpStatus.isInterim(status) || status == HttpStatus.NO_CONTENT_204
                || status == HttpStatus.NOT_MODIFIED_304;
        HttpFields fields = response.getHttpFields();
        bodyAllowed = !headRequest && !noBodyStatus;
        chunked = bodyAllowed && contentLength < 0 && !http10;
        close = mustClose || (bodyAllowed && contentLength < 0 && http10)
                || fields.contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        putStatusLine(response);
        for (HttpField field : fields) {
            HttpHeader h = field.getHeader();
            if (h == HttpHeader.CONTENT_LENGTH || h == HttpHeader.TRANSFER_ENCODING || (close && h == HttpHeader.CONNECTION)) {
                continue; // framing and persistence are decided here, not copied
            }
            putField(field);
        }
        long declared = noBodyStatus ? notModifiedLength(response) : contentLength;
        if (declared >= 0) {
            put(CONTENT_LENGTH);
            putDecimal(declared);
            put(CRLF);
        }
        if (chunked) {
            put(CHUNKED);
        }
        if (close) {
            put(CLOSE);
        }
        put(CRLF);
    }

    /**
     * The Content-Length of a 304, as Jetty's {@code HttpGenerator} writes it: only when the response
     * has the field, with the metadata's length if it has one, else the field's value; -1 for none
     * (and for every other status without a body).
     */
    private static long notModifiedLength(MetaData.Response response) {
        if (response.getStatus() != HttpStatus.NOT_MODIFIED_304) {
            return -1;
        }
        HttpField field = response.getHttpFields().getField(HttpHeader.CONTENT_LENGTH);
        if (field == null) {
            return -1;
        }
        if (response.getContentLength() >= 0) {
            return response.getContentLength();
        }
        try {
            return field.getLongValue();
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** An interim (1xx) head: its fields as given, nothing else. */
    void renderInterim(MetaData.Response response) {
        putStatusLine(response);
        putFields(response.getHttpFields());
        put(CRLF);
    }

    /** The line before a chunk of {@code size} bytes. */
    void renderChunkLine(int size) {
        len = 0;
        int digits = Math.max(1, (Integer.SIZE - Integer.numberOfLeadingZeros(size) + 3) / 4);
        ensure(digits + 2);
        for (int i = digits - 1; i >= 0; i--) {
            buf[len++] = HEX[(size >>> (4 * i)) & 0xf];
        }
        put(CRLF);
    }

    /** The zero chunk, the trailer fields if any, and the blank line that ends a chunked body. */
    void renderLastChunk(HttpFields trailers) {
        len = 0;
        if (trailers == null || trailers.size() == 0) {
            put(LAST_CHUNK);
            return;
        }
        put(ZERO_CHUNK_LINE);
        putFields(trailers);
        put(CRLF);
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    /** The body is sent as chunks. */
    boolean chunked() {
        return chunked;
    }

    /** The connection closes after this response. */
    boolean close() {
        return close;
    }

    /** Body bytes are sent at all (not for HEAD, 1xx, 204, 304). */
    boolean bodyAllowed() {
        return bodyAllowed;
    }

    /** Always HTTP/1.1, the highest version we speak (RFC 9110 §2.5), also to a 1.0 client. */
    private void putStatusLine(MetaData.Response response) {
        len = 0;
        put(HTTP11);
        putDecimal(response.getStatus());
        put(' ');
        put(response.getReason() != null ? response.getReason() : HttpStatus.getMessage(response.getStatus()));
        put(CRLF);
    }

    private void putFields(HttpFields fields) {
        for (HttpField field : fields) {
            putField(field);
        }
    }

    private void putField(HttpField field) {
        put(field.getName());
        put(COLON_SP);
        put(field.getValue());
        put(CRLF);
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    /** A field name, value or reason: controls become spaces (no response splitting), non-Latin-1 '?'. */
    private void put(String s) {
        if (s == null) {
            return;
        }
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            buf[len++] = c < ' ' && c != '\t' || c == 0x7f ? (byte) ' ' : c > 0xff ? (byte) '?' : (byte) c;
        }
    }

    private void putDecimal(long v) {
        if (v == 0) {
            put('0');
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += digits;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
