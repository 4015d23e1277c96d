package dev.ringside.bridge.jetty;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP/1.1 bytes and framing {@link ResponseHead} chooses for what Jetty commits. */
class ResponseHeadTest {
    private final ResponseHead head = new ResponseHead();

    private static MetaData.Response response(int status, HttpFields fields) {
        return new MetaData.Response(status, null, HttpVersion.HTTP_1_1, fields);
    }

    private String text() {
        return new String(head.bytes(), 0, head.length(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aKnownLengthIsAContentLength() {
        head.render(response(200, HttpFields.build().add("Content-Type", "text/plain").add("Content-Length", "99")),
                false, false, 5, false);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n", text());
        assertFalse(head.chunked());
        assertFalse(head.close());
        assertTrue(head.bodyAllowed());
    }

    @Test
    void anUnknownLengthIsChunkedForHttp11AndEndsByClosingForHttp10() {
        head.render(response(200, HttpFields.build()), false, false, -1, false);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", text());
        assertTrue(head.chunked());
        head.render(response(200, HttpFields.build().add("Connection", "keep-alive")), false, true, -1, false);
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", text(), "on HTTP/1.0 Jetty leaves the close implied");
        assertFalse(head.chunked());
        assertTrue(head.close());
    }

    @Test
    void anUnknownLengthOnAClosingHttp11ConnectionEndsByTheCloseUnlessAPostOrPutAskedForIt() {
        head.render(response(200, HttpFields.build()), false, false, -1, true);
        assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", text());
        assertFalse(head.chunked());
        head.render(response(200, HttpFields.build()), false, false, -1, true, true);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", text());
        assertTrue(head.chunked());
        assertTrue(head.close());
    }

    @Test
    void theConnectionFieldComesAfterTheFramingAsJettysGeneratorLeavesIt() {
        head.render(response(200, HttpFields.build().add("Connection", "keep-alive").add("X-A", "1")), false, true, 5, false);
        assertEquals("HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n", text(),
                "HTTP/1.0, kept");
        head.render(response(200, HttpFields.build()), false, true, 5, false);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n", text(),
                "HTTP/1.0, kept: said even if Jetty did not");
        head.render(response(200, HttpFields.build().add("Connection", "keep-alive")), false, false, 5, false);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", text(), "HTTP/1.1 implies keep-alive");
        head.render(response(200, HttpFields.build().add("Connection", "foo")), false, false, 5, true);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: foo,close\r\n\r\n", text(),
                "HTTP/1.1, closing: close joins the app's options");
    }

    @Test
    void noBodyForHeadNoContentAndNotModified() {
        head.render(response(200, HttpFields.build()), true, false, 1000, false);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", text(), "HEAD tells the length GET would have");
        assertFalse(head.bodyAllowed());
        for (int status : new int[]{204, 304}) {
            head.render(response(status, HttpFields.build()), false, false, 0, false);
            assertFalse(text().contains("Content-Length"), text());
            assertFalse(text().contains("chunked"), text());
            assertFalse(head.bodyAllowed());
        }
        head.render(response(204, HttpFields.build().add("Content-Length", "0")), false, false, 0, false);
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", text());
    }

    @Test
    void aNotModifiedKeepsTheContentLengthItWasGiven() {
        // As Jetty's HttpGenerator: a 304 carries Content-Length when the response has the field (the
        // metadata's length first, else the field's value), and nothing else frames it.
        head.render(response(304, HttpFields.build().add("Content-Length", "0")), false, false, 0, false);
        assertEquals("HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n", text());
        head.render(response(304, HttpFields.build().add("Content-Length", "1234")), false, false, 0, false);
        assertEquals("HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n", text());
        assertFalse(head.bodyAllowed());
        assertFalse(head.chunked());
    }

    @Test
    void closesWhenAskedByTheFieldsOrTheCaller() {
        head.render(response(200, HttpFields.build().add("Connection", "close")), false, false, 0, false);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", text());
        assertTrue(head.close());
        head.render(response(500, HttpFields.build()), false, false, 0, true);
        assertEquals("HTTP/1.1 500 Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", text());
    }

    @Test
    void aValueCannotSplitTheResponse() {
        head.render(response(200, HttpFields.build().add("X-Evil", "a\r\nSet-Cookie: x=1")), false, false, 0, false);
        assertTrue(text().contains("X-Evil: a  Set-Cookie: x=1\r\n"), text());
    }

    @Test
    void rendersChunkLinesInHexAndTheLastChunkWithTrailers() {
        head.renderChunkLine(1);
        assertEquals("1\r\n", text());
        head.renderChunkLine(0x8000);
        assertEquals("8000\r\n", text());
        head.renderChunkLine(0x12abc);
        assertEquals("12ABC\r\n", text(), "upper case, as Jetty writes them");
        head.renderLastChunk(null);
        assertEquals("0\r\n\r\n", text());
        head.renderLastChunk(HttpFields.build().add("X-Checksum", "42"));
        assertEquals("0\r\nX-Checksum: 42\r\n\r\n", text());
    }

    @Test
    void rendersAnInterimHeadAsGiven() {
        head.renderInterim(response(103, HttpFields.build().add("Link", "</a.css>; rel=preload")));
        assertEquals("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n", text());
    }
}
