package dev.ringside.bridge.tomcat;

import dev.ringside.uring.http.HeadBytes;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;

/**
 * Renders a Coyote response's status line and headers the way Tomcat's own
 * {@code Http11OutputBuffer} does: {@code HTTP/1.1 200 } with no reason phrase, and values
 * written as field text (controls become spaces, so an app cannot split a response).
 */
final class ResponseHeadBytes {
    private static final byte[] HTTP11 = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};
    private static final byte[] COLON_SP = {':', ' '};

    private final HeadBytes out = new HeadBytes(1024);

    byte[] bytes() {
        return out.bytes();
    }

    int length() {
        return out.length();
    }

    void render(int status, MimeHeaders headers) {
        out.clear().put(HTTP11).putDecimal(status < 100 || status > 999 ? 500 : status).put(' ').crlf();
        for (int i = 0, n = headers.size(); i < n; i++) {
            value(headers.getName(i));
            out.put(COLON_SP);
            value(headers.getValue(i));
            out.crlf();
        }
        out.crlf();
    }

    private void value(MessageBytes mb) {
        if (mb.getType() == MessageBytes.T_BYTES) {
            ByteChunk bc = mb.getByteChunk();
            out.putText(bc.getBuffer(), bc.getStart(), bc.getEnd());
        } else {
            out.putText(mb.toString());
        }
    }
}
