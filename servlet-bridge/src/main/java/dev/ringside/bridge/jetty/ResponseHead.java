package dev.ringside.bridge.jetty;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import dev.ringside.uring.http.HeadBytes;

/**
 * Renders a Jetty {@link MetaData.Response} as HTTP/1.1 bytes and chooses the body's framing, the
 * job Jetty's {@code HttpGenerator} does on its own connections: Content-Length when the length is
 * known, else chunked (HTTP/1.1) or a body ended by closing the connection (HTTP/1.0); no body
 * for HEAD, 1xx, 204 and 304 (a 304 keeps a Content-Length field it was given, as Jetty's does);
 * the Connection field after the framing, as Jetty's generator leaves it (see {@link #persistence}).
 * The fields Jetty put in (Date and Server as its {@code HttpConfiguration} says, the
 * application's) are written as they are, with CR, LF and other controls replaced by spaces so a
 * value cannot split the response. Also renders chunk lines. One buffer, reused for every piece.
 */
final class ResponseHead {
    static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[] ZERO_CHUNK_LINE = ascii("0\r\n");
    private static final byte[] HTTP11 = ascii("HTTP/1.1 ");
    private static final byte[] COLON_SP = ascii(": ");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final HttpField CONNECTION_CLOSE = new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
    private static final HttpField CONNECTION_KEEP_ALIVE = new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.KEEP_ALIVE);

    private final HeadBytes out = new HeadBytes(512);
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
        render(response, headRequest, http10, contentLength, mustClose, false);
    }

    /**
     * @param contentRequest the request was a POST or PUT (Jetty's "assumed content" methods): an
     *                       answer of unknown length is chunked even when the connection closes
     *                       after it; to any other request such an answer is ended by the close
     */
    void render(MetaData.Response response, boolean headRequest, boolean http10, long contentLength, boolean mustClose,
                boolean contentRequest) {
        int status = response.getStatus();
        boolean noBodyStatus = HttpStatus.isInterim(status) || status == HttpStatus.NO_CONTENT_204
                || status == HttpStatus.NOT_MODIFIED_304;
        HttpFields fields = response.getHttpFields();
        bodyAllowed = !headRequest && !noBodyStatus;
        boolean closing = mustClose || fields.contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        // A HEAD is framed as its GET would be, as Jetty's generator does (chunked, for one).
        chunked = !noBodyStatus && contentLength < 0 && !http10 && (!closing || contentRequest);
        putStatusLine(response);
        HttpField connection = null;
        for (HttpField field : fields) {
            HttpHeader h = field.getHeader();
            if (h == HttpHeader.CONTENT_LENGTH || h == HttpHeader.TRANSFER_ENCODING) {
                continue; // framing is decided here, not copied
            }
            if (h == HttpHeader.CONNECTION) {
                connection = connection == null ? field : connection.withValues(field.getValues());
                continue; // written after the framing, as Jetty's generator does
            }
            putField(field);
        }
        close = closing || (!noBodyStatus && contentLength < 0 && !chunked);
        long declared = noBodyStatus ? notModifiedLength(response) : contentLength;
        if (declared >= 0) {
            out.put(CONTENT_LENGTH).putDecimal(declared).crlf();
        }
        if (chunked) {
            out.put(CHUNKED);
        }
        connection = persistence(connection, http10, close);
        if (connection != null) {
            putField(connection);
        }
        out.crlf();
    }

    /**
     * The Connection field as Jetty's {@code HttpGenerator} leaves it: on HTTP/1.1 without
     * keep-alive (implied) and with close when the connection ends; on HTTP/1.0 with keep-alive
     * when it is kept, and with the close implied when it is not.
     */
    private static HttpField persistence(HttpField connection, boolean http10, boolean close) {
        String keepAlive = HttpHeaderValue.KEEP_ALIVE.asString();
        if (connection != null && (!http10 || close) && connection.contains(keepAlive)) {
            connection = connection.withoutValue(keepAlive);
        }
        if (!http10 && close && (connection == null || !connection.contains(HttpHeaderValue.CLOSE.asString()))) {
            return connection == null ? CONNECTION_CLOSE : connection.withValue(HttpHeaderValue.CLOSE.asString());
        }
        if (http10 && !close && (connection == null || !connection.contains(keepAlive))) {
            return connection == null ? CONNECTION_KEEP_ALIVE : connection.withValue(keepAlive);
        }
        return connection;
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
        out.crlf();
    }

    /** The line before a chunk of {@code size} bytes. */
    void renderChunkLine(int size) {
        out.clear().putHexUpper(size).crlf(); // Jetty writes chunk sizes in upper case
    }

    /** The zero chunk, the trailer fields if any, and the blank line that ends a chunked body. */
    void renderLastChunk(HttpFields trailers) {
        out.clear();
        if (trailers == null || trailers.size() == 0) {
            out.put(LAST_CHUNK);
            return;
        }
        out.put(ZERO_CHUNK_LINE);
        putFields(trailers);
        out.crlf();
    }

    byte[] bytes() {
        return out.bytes();
    }

    int length() {
        return out.length();
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
        out.clear().put(HTTP11).putDecimal(response.getStatus()).put(' ')
                .putText(response.getReason() != null ? response.getReason() : HttpStatus.getMessage(response.getStatus()))
                .crlf();
    }

    private void putFields(HttpFields fields) {
        for (HttpField field : fields) {
            putField(field);
        }
    }

    private void putField(HttpField field) {
        out.putText(field.getName()).put(COLON_SP).putText(field.getValue()).crlf();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
