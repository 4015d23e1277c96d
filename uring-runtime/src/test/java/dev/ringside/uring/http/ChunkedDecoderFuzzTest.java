package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Properties of the chunked decoder over seeded random bodies (see {@link Fuzz}): on any bytes it
 * answers without throwing, the data it hands out is the same however the bytes are split, and it
 * says DONE exactly where an independent, regex-based reading of RFC 9112 §7.1 ({@link #reference})
 * finds a whole body.
 */
class ChunkedDecoderFuzzTest {

    private static final Set<Integer> STATUSES = Set.of(400, 413, 431);
    private static final String[] EXTENSIONS = {"", "", ";a", ";a=b", " ; a = \"q \\\" d\"", ";x;y=1", "\t;n=\"\""};
    private static final String[] TRAILERS = {"X: y\r\n", "Checksum: abc\r\n", "X-Empty:\r\n", "t:\tv\t\r\n"};

    /** A valid body and its data: random chunk sizes (hex in either case, leading zeros), extensions and trailers. */
    static String[] validBody(Random r) {
        StringBuilder body = new StringBuilder();
        StringBuilder data = new StringBuilder();
        for (int n = r.nextInt(4); n > 0; n--) {
            int size = 1 + r.nextInt(20);
            String hex = Integer.toHexString(size);
            if (r.nextBoolean()) hex = hex.toUpperCase();
            if (r.nextInt(4) == 0) hex = "00" + hex;
            byte[] chunk = new byte[size];
            for (int i = 0; i < size; i++) chunk[i] = Fuzz.anyByte(r);
            String s = new String(chunk, StandardCharsets.ISO_8859_1);
            body.append(hex).append(Fuzz.pick(r, EXTENSIONS)).append("\r\n").append(s).append("\r\n");
            data.append(s);
        }
        body.append(r.nextInt(3) == 0 ? "000" : "0").append(Fuzz.pick(r, EXTENSIONS)).append("\r\n");
        for (int n = r.nextInt(3); n > 0; n--) body.append(Fuzz.pick(r, TRAILERS));
        body.append("\r\n");
        return new String[] {body.toString(), data.toString()};
    }

    @Test
    void validBodiesAreDoneWithTheirDataHoweverSplit() {
        for (int i = 0; i < Fuzz.TRIES; i++) {
            Random r = Fuzz.random("valid body", i);
            String[] body = validBody(r);
            byte[] in = Fuzz.bytes(body[0] + (r.nextBoolean() ? "GET / HTTP/1.1\r\n" : ""));
            ChunkedBodies.Outcome whole = check(r, in, i);
            assertEquals(new ChunkedBodies.Outcome(ChunkedDecoder.DONE, 0, body[1], body[0].length(), body[1].length()),
                    whole, Fuzz.show(in));
        }
    }

    @Test
    void arbitraryBytesNeverBreakTheDecoder() {
        for (int i = 0; i < Fuzz.TRIES; i++) {
            Random r = Fuzz.random("arbitrary body", i);
            byte[] in = Fuzz.arbitrary(r, 80);
            // Some after a valid chunk, or after the last chunk, to reach the data and trailer states.
            byte[] input = switch (i % 3) {
                case 0 -> in;
                case 1 -> Fuzz.concat(Fuzz.bytes("3\r\nabc\r\n"), in);
                default -> Fuzz.concat(Fuzz.bytes("0\r\n"), in);
            };
            check(r, input, i);
        }
    }

    @Test
    void mutatedBodiesNeverBreakTheDecoder() {
        for (int i = 0; i < Fuzz.TRIES * 2; i++) {
            Random r = Fuzz.random("mutated body", i);
            check(r, Fuzz.mutate(r, Fuzz.bytes(validBody(r)[0])), i);
        }
    }

    /** Each forbidden construct, put into a valid body: an ERROR, never DONE. */
    @Test
    void aBodyWithAForbiddenConstructIsRefused() {
        String[][] forbidden = {
            {"5\r\n", " 5\r\n", "+5\r\n", "0x5\r\n", "5 \r\n", "5\n", "5\r\r\n", "5;\r\n", "5;a=\r\n", "5;a=b c\r\n",
                "5;a=\"b\r\n", "5;a b\r\n", "5;a=\"\0\"\r\n", "5g\r\n", "00000000000000005\r\n"},
            {"hello\r\n", "hello\n", "hello\r", "helloX\r\n", "hello \r\n", "hell\r\n\r\n"},
            {"0\r\n", "0\n", "0 \r\n", "0\r\r\n", "-0\r\n"},
            {"\r\n", "\n", "X\r\n\r\n", "X : y\r\n\r\n", " X: y\r\n\r\n", "X: y\r\n z\r\n\r\n", "X: a\0\r\n\r\n",
                "X: a\rb\r\n\r\n", "(: a\r\n\r\n", "\r\r\n"},
        };
        for (int i = 0; i < Fuzz.TRIES; i++) {
            Random r = Fuzz.random("forbidden body", i);
            String[] parts = {"5\r\n", "hello\r\n", "0\r\n", "\r\n"};
            int part = i % parts.length;
            String[] bad = forbidden[part];
            parts[part] = bad[1 + r.nextInt(bad.length - 1)];
            String prefix = r.nextBoolean() ? "" : "2;x=y\r\nab\r\n";
            byte[] in = Fuzz.bytes(prefix + String.join("", parts));
            ChunkedBodies.Outcome whole = check(r, in, i);
            assertEquals(ChunkedDecoder.ERROR, whole.result(), Fuzz.show(in));
        }
    }

    /** Decodes {@code in} whole and split, checks what any answer must satisfy; returns the whole decode. */
    private static ChunkedBodies.Outcome check(Random r, byte[] in, int attempt) {
        String what = "attempt " + attempt + ", seed " + Fuzz.SEED + ": " + Fuzz.show(in);
        ChunkedBodies.Outcome whole;
        try {
            whole = ChunkedBodies.decode(HttpLimits.DEFAULT, in, new int[0]);
        } catch (RuntimeException e) {
            throw new AssertionError("threw on " + what, e);
        }
        assertTrue(Set.of(ChunkedDecoder.NEED_MORE, ChunkedDecoder.DONE, ChunkedDecoder.ERROR).contains(whole.result()), what);
        if (whole.result() == ChunkedDecoder.ERROR) assertTrue(STATUSES.contains(whole.status()), what);
        assertEquals(whole.data().length(), whole.bodyBytes(), what);
        Reference ref = reference(in);
        assertEquals(ref != null, whole.result() == ChunkedDecoder.DONE, () -> "DONE iff the reference finds a body, " + what);
        if (ref != null) {
            assertEquals(ref.data(), whole.data(), what);
            assertEquals(ref.end(), whole.end(), what);
        }
        int[] cuts = Fuzz.cuts(r, in.length);
        assertEquals(whole, ChunkedBodies.decode(HttpLimits.DEFAULT, in, cuts), () -> "split at " + Arrays.toString(cuts) + ", " + what);
        if (attempt % 8 == 0) {
            String s = new String(in, StandardCharsets.ISO_8859_1);
            assertEquals(whole, ChunkedBodies.byteByByte(HttpLimits.DEFAULT, s), () -> "byte by byte, " + what);
        }
        return whole;
    }

    record Reference(String data, long end) {}

    private static final String TOKEN = "[-!#$%&'*+.^_`|~0-9A-Za-z]+";
    private static final String QUOTED = "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t \\x21-\\x7E\\x80-\\xFF])*\"";
    private static final Pattern CHUNK_LINE = Pattern.compile("([0-9A-Fa-f]{1,16})"
            + "(?:[ \\t]*;[ \\t]*" + TOKEN + "(?:[ \\t]*=[ \\t]*(?:" + TOKEN + "|" + QUOTED + "))?)*\\r\\n");
    private static final Pattern TRAILER_SECTION = Pattern.compile("(?:" + TOKEN + ":[^\\x00-\\x08\\x0A-\\x1F\\x7F]*\\r\\n)*\\r\\n");

    /**
     * RFC 9112 §7.1 read with regular expressions over the whole input: the body's data and where
     * it ends, or null when the input does not start with a complete valid body (within the default limits).
     */
    static Reference reference(byte[] in) {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        StringBuilder data = new StringBuilder();
        int p = 0;
        for (;;) {
            Matcher m = CHUNK_LINE.matcher(s).region(p, s.length());
            if (!m.lookingAt()) return null;
            long size = Long.parseUnsignedLong(m.group(1), 16);
            p = m.end();
            if (size == 0) break;
            if (size > HttpLimits.DEFAULT_MAX_BODY_BYTES - data.length() || p + size + 2 > s.length()) return null;
            data.append(s, p, p + (int) size);
            p += (int) size;
            if (!s.startsWith("\r\n", p)) return null;
            p += 2;
        }
        Matcher t = TRAILER_SECTION.matcher(s).region(p, s.length());
        if (!t.lookingAt()) return null;
        return new Reference(data.toString(), t.end());
    }
}
