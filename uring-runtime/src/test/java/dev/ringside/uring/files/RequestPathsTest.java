package dev.ringside.uring.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class RequestPathsTest {
    static String rel(String raw) {
        byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
        return RequestPaths.toRelative(b, 0, b.length);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, ''",
            "/index.html, index.html",
            "/a/b.css, a/b.css",
            "/a/./b.css, a/b.css",
            "/a/../b.css, b.css",
            "/dir/, dir/",
            "/a//b, a/b",
            "/caf%C3%A9.txt, café.txt",
            "/with%20space.txt, with space.txt",
            "/a/b/.., a/",
            // Each segment's path parameters go first, before decoding, as Tomcat drops them.
            "/small.html;jsessionid=abc, small.html",
            "/small.html;, small.html",
            "/a;v=1/b.css, a/b.css",
            "/a;x=%2f/b.css, a/b.css",
            "/dir/;x, dir/",
            "/a%3Bb.txt, a;b.txt",
            "/a;x/../b.css, b.css",
    })
    void decodesOnceAndNormalises(String raw, String expected) {
        assertEquals(expected, rel(raw));
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {
            "/..", "/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/x",
            "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/a%00b", "/%", "/%2", "/%zz", "/%c3%28", "relative", "",
    })
    void refusesEscapesAndAmbiguousEncodings(String raw) {
        assertNull(rel(raw));
    }

    @Test
    void decodesPercentEncodingExactlyOnce() {
        // %252e%252e is "%2e%2e" after one decode: a literal name, not "..".
        assertEquals("%2e%2e/x", rel("/%252e%252e/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"WEB-INF/web.xml", "web-inf/x", "META-INF/MANIFEST.MF", "WEB-INF", "meta-inf/"})
    void webInfAndMetaInfAreProtected(String relative) {
        assertTrue(RequestPaths.isProtected(relative));
    }

    @Test
    void ordinaryPathsAreNotProtected() {
        assertFalse(RequestPaths.isProtected("css/WEB-INF.css"));
        assertFalse(RequestPaths.isProtected("index.html"));
    }
}
