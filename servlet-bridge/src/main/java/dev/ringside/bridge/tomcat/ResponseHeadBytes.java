package dev.ringside.bridge.tomcat;

import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;

import java.util.Arrays;

/**
 * Renders a Coyote response's status line and headers into one reusable byte array, the way
 * Tomcat's own {@code Http11OutputBuffer} does: {@code HTTP/1.1 200 } with no reason phrase,
 * and control characters in values turned into spaces so an app cannot split a response.
 */
final class ResponseHeadBytes {
    private byte[] buf = new byte[1024];
    private int len;

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    void render(int status, MimeHeaders headers) {
        len = 0;
        ascii("HTTP/1.1 ");
        if (status < 100 || status > 999) {
            status = 500;
        }
        ensure(5);
        buf[len++] = (byte) ('0' + status / 100);
        buf[len++] = (byte) ('0' + status / 10 % 10);
        buf[len++] = (byte) ('0' + status % 10);
        buf[len++] = ' ';
        crlf();
        for (int i = 0, n = headers.size(); i < n; i++) {
            value(headers.getName(i));
            ascii(": ");
            value(headers.getValue(i));
            crlf();
        }
        crlf();
    }

    private void value(MessageBytes mb) {
        if (mb.getType() == MessageBytes.T_BYTES) {
            ByteChunk bc = mb.getByteChunk();
            int n = bc.getLength();
            ensure(n);
            byte[] src = bc.getBuffer();
            for (int i = bc.getStart(), end = bc.getEnd(); i < end; i++) {
                byte b = src[i];
                buf[len++] = (b >= 0 && b < 32 && b != '\t') || b == 127 ? (byte) ' ' : b;
            }
            return;
        }
        String s = mb.toString();
        if (s == null) {
            return;
        }
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            buf[len++] = (c < 32 && c != '\t') || c == 127 ? (byte) ' ' : c > 255 ? (byte) '?' : (byte) c;
        }
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void crlf() {
        ensure(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
