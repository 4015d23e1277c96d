package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Pre-encoded pieces of response heads and the copy that puts them in a buffer. */
final class HeadBytes {
    private HeadBytes() {}

    static final byte[] CRLF = ascii("\r\n");
    static final byte[] SERVER = ascii("Server: ringside\r\n");
    static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    static final byte[] CONTENT_LENGTH_ZERO = ascii("Content-Length: 0\r\n");

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static long put(MemorySegment seg, long offset, byte[] bytes) {
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, offset, bytes.length);
        return offset + bytes.length;
    }
}
