package dev.ringside.it;

import dev.ringside.uring.testing.Escapes;
import dev.ringside.uring.testing.RawHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For a Spring Boot jar the agent serves: a chunked body whose framing is malformed (the runtime's
 * rejection table) is answered as the standalone server answers it, then the connection closes. On
 * the upload, whose multipart parsing reads the body, that is the table's status; on a mapping that
 * never reads it (a POST to a GET mapping: Spring's 405), the table's status or Spring's own, then
 * the close. A request after the bad bytes is never answered. Each case is sent five times, so a
 * one-in-five race between Spring's answer and the loop's decoder shows; the adapters' own test
 * ({@code MalformedChunkedBodyTest}) splits each at every byte.
 */
interface RejectsMalformedChunkedBodies {
    /** The rejection table's limit, the standalone server's default, given to the agent's JVM. */
    long BODY_LIMIT = 10L << 20;
    Pattern STATUS_LINE = Pattern.compile("(?:^|\r\n)HTTP/1\\.1 (\\d{3})[ \r]");
    String SMUGGLED = "GET /api/items/1 HTTP/1.1\r\nHost: x\r\n\r\n";

    int agentPort();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvFileSource(resources = "/dev/ringside/uring/http/rejected-chunked-bodies.csv", delimiter = '|', quoteCharacter = '`')
    default void aMalformedChunkedBodyIsRejectedAsTheRuntimeRejectsIt(int status, String escaped) throws Exception {
        byte[] body = Escapes.unescape(escaped).getBytes(StandardCharsets.ISO_8859_1);
        for (String[] target : new String[][] {{"/api/upload", ""}, {"/api/greeting", "405"}}) {
            String head = "POST " + target[0] + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\n\r\n";
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
            request.writeBytes(body);
            request.writeBytes(SMUGGLED.getBytes(StandardCharsets.ISO_8859_1));
            String what = target[0] + " " + escaped + ": ";
            for (int i = 0; i < 5; i++) {
                String answer = RawHttp.untilClosed(agentPort(), request.toByteArray(), -1);
                Matcher m = STATUS_LINE.matcher(answer);
                assertTrue(m.find(), what + "no answer at all: [" + answer + "]");
                String got = m.group(1);
                assertTrue(got.equals(Integer.toString(status)) || got.equals(target[1]), what + answer);
                if (got.equals(Integer.toString(status))) {
                    assertTrue(answer.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), what + answer);
                }
                assertFalse(m.find(), what + "a second answer, to bytes after the bad ones: " + answer);
            }
        }
    }
}
