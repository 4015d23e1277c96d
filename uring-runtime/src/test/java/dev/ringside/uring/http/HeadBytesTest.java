package dev.ringside.uring.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What adapters render heads with: numbers as HTTP writes them, application text made safe. */
class HeadBytesTest {
    private static String text(HeadBytes h) {
        return new String(h.bytes(), 0, h.length(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void decimalsAndChunkSizes() {
        HeadBytes h = new HeadBytes(1);
        h.putDecimal(0).put(' ').putDecimal(200).put(' ').putDecimal(Long.MAX_VALUE).crlf();
        assertEquals("0 200 9223372036854775807\r\n", text(h), "and it grew from one byte");
        assertEquals("0", text(h.clear().putHex(0)));
        assertEquals("3fff", text(h.clear().putHex(16383)));
        assertEquals("7fffffff", text(h.clear().putHex(Integer.MAX_VALUE)));
    }

    @Test
    void applicationTextCannotSplitAResponse() {
        HeadBytes h = new HeadBytes(8);
        h.putText("a\r\nSet-Cookie: x\u0000\u007f\tb\u00e9\u20ac");
        assertEquals("a  Set-Cookie: x  \tb\u00e9?", text(h));
        byte[] raw = "v\r\n\u0001w\t".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("v   w\t", text(h.clear().putText(raw, 0, raw.length)));
        assertEquals("", text(h.clear().putText(null)));
    }
}
