package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Properties of the parser over seeded random inputs (see {@link Fuzz}): on any bytes it answers
 * without throwing, the same however the bytes are split, and a head it calls COMPLETE is one that
 * an independent reading of RFC 9112 ({@link #violation}) finds nothing wrong with.
 */
class ParserFuzzTest {

    private static final Set<Integer> STATUSES = Set.of(400, 414, 431, 501, 505);
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "PROPFIND", "X-Y"};
    private static final String[] TARGETS = {"/", "/a/b?c=d", "/%41%2f", "/a;b=c/d~e!$&'()*+,", "/?", "http://example.com/x",
            "http://example.com:8080", "HTTPS://[::1]:8443/p?q"};
    private static final String[] FIELDS = {"Accept: */*", "User-Agent: fuzz/1.0", "X-Empty:", "X-Tab:\tv\t",
            "Cookie: a=b; c=d", "Connection: keep-alive", "Connection: close", "Accept-Encoding: gzip, br",
            "X-Obs: caf\u00e9", "Expect: 100-continue", "Upgrade: websocket", "if-none-match: \"x\""};

    /** A valid head: request line, Host as HTTP/1.1 needs, some fields, at most one of CL and TE. */
    static List<String> validLines(Random r) {
        boolean http11 = r.nextInt(5) != 0;
        List<String> lines = new ArrayList<>();
        String method = Fuzz.pick(r, METHODS);
        String target = r.nextInt(10) == 0 ? "*" : Fuzz.pick(r, TARGETS);
        if (target.equals("*")) method = "OPTIONS";
        lines.add(method + " " + target + " HTTP/1." + (http11 ? "1" : "0"));
        if (http11 || r.nextBoolean()) lines.add(Fuzz.pick(r, new String[] {"Host: a", "host:example.com:80", "HOST: [::1]"}));
        for (int n = r.nextInt(5); n > 0; n--) lines.add(1 + r.nextInt(lines.size()), Fuzz.pick(r, FIELDS));
        switch (r.nextInt(4)) {
            case 0 -> lines.add("Content-Length: " + r.nextInt(1000));
            case 1 -> {
                if (http11) lines.add("Transfer-Encoding: " + Fuzz.pick(r, new String[] {"chunked", "Chunked", ", chunked"}));
            }
            default -> {}
        }
        return lines;
    }

    static byte[] head(List<String> lines) {
        return Fuzz.bytes(String.join("\r\n", lines) + "\r\n\r\n");
    }

    @Test
    void validHeadsAreCompleteAndSplitEquivalent() {
        for (int i = 0; i < Fuzz.TRIES; i++) {
            Random r = Fuzz.random("valid", i);
            byte[] in = head(validLines(r));
            Heads.Snapshot whole = check(r, in, i);
            assertEquals(HttpRequestParser.COMPLETE, whole.result(), () -> Fuzz.show(in));
        }
    }

    @Test
    void arbitraryBytesNeverBreakTheParser() {
        for (int i = 0; i < Fuzz.TRIES; i++) {
            Random r = Fuzz.random("arbitrary", i);
            byte[] in = Fuzz.arbitrary(r, 120);
            // Half of them after a valid request line, to reach the field-line states.
            byte[] input = r.nextBoolean() ? Fuzz.concat(Fuzz.bytes("GET / HTTP/1.1\r\n"), in) : in;
            check(r, input, i);
        }
    }

    @Test
    void mutatedHeadsNeverBreakTheParser() {
        for (int i = 0; i < Fuzz.TRIES * 2; i++) {
            Random r = Fuzz.random("mutated", i);
            check(r, Fuzz.mutate(r, head(validLines(r))), i);
        }
    }

    /** Each forbidden construct of RFC 9112 (and our stricter rules), put into a valid head. */
    @Test
    void aHeadWithAForbiddenConstructIsNeverComplete() {
        for (int i = 0; i < Fuzz.TRIES; i++) {
            Random r = Fuzz.random("forbidden", i);
            List<String> lines = validLines(r);
            int kind = i % 16;
            byte[] in = head(forbid(r, lines, kind));
            Heads.Snapshot whole = check(r, in, i);
            assertEquals(HttpRequestParser.ERROR, whole.result(), () -> "kind " + kind + ": " + Fuzz.show(in));
        }
    }

    private static List<String> forbid(Random r, List<String> lines, int kind) {
        String requestLine = lines.get(0);
        String[] rl = requestLine.split(" ");
        lines.removeIf(l -> l.regionMatches(true, 0, "Content-Length", 0, 14)
                || l.regionMatches(true, 0, "Transfer-Encoding", 0, 17));
        int at = 1 + r.nextInt(lines.size());
        switch (kind) {
            case 0 -> {
                String cl = "Content-Length: " + r.nextInt(3);
                lines.add(at, cl);
                lines.add(1 + r.nextInt(lines.size()), r.nextBoolean() ? cl : "content-length: 7");
            }
            case 1 -> lines.add(at, "Content-Length: " + Fuzz.pick(r, new String[] {"1a", "+1", "-1", "1 1", "", "0x1",
                    "99999999999999999999", "1,1", "\"1\"", "1.0"}));
            case 2 -> {
                lines.set(0, rl[0] + " " + rl[1] + " HTTP/1.1");
                lines.add(at, "Transfer-Encoding: chunked");
                lines.add(1 + r.nextInt(lines.size()), "Content-Length: 0");
            }
            case 3 -> lines.add(at, "Transfer-Encoding: " + Fuzz.pick(r, new String[] {"chunked, gzip", "gzip", "identity",
                    "chunked;a=b", "chunked, chunked", ""}));
            case 4 -> lines.add(at, "Transfer-Encoding: " + Fuzz.pick(r, new String[] {"gzip, chunked", "br,chunked"}));
            case 5 -> lines.add(at, Fuzz.pick(r, new String[] {"X-A : b", "X-A\t: b", "Host :a"}));
            case 6 -> lines.add(Math.min(Math.max(2, at), lines.size()), Fuzz.pick(r, new String[] {" folded", "\tfolded", " X: y"}));
            case 7 -> lines.add(at, "X" + Fuzz.pick(r, new String[] {"<", "@", "(", "\"", "/", "[", "\u0080", "\0", "{"}) + "y: z");
            case 8 -> lines.add(at, "X: a" + Fuzz.pick(r, new String[] {"\0", "\r", "\n", "\u0001", "\u007f", "\u001b", "\r\r"}) + "b");
            case 9 -> {
                int line = r.nextInt(lines.size());
                lines.set(line, lines.get(line) + Fuzz.pick(r, new String[] {"\r", "\n", "\r\r", "\n\n"}) + "X-B: c");
            }
            case 10 -> lines.set(0, rl[0] + " /a" + Fuzz.pick(r, new String[] {"<", ">", " ", "\"", "{", "|", "^", "\\",
                    "\u0080", "#", "%g0", "\t", "\r"}) + "b " + rl[2]);
            case 11 -> {
                lines.clear();
                lines.add(rl[0] + " " + rl[1]);
            }
            case 12 -> lines.set(0, rl[0] + " " + rl[1] + " " + Fuzz.pick(r, new String[] {"HTTP/1.2", "HTTP/2.0",
                    "HTTP/0.9", "HTTP/1.10", "http/1.1", "HTTP/1", "HTTP/1.1 ", " HTTP/1.1"}));
            case 13 -> {
                lines.set(0, rl[0] + " " + rl[1] + " HTTP/1.1");
                lines.removeIf(l -> l.regionMatches(true, 0, "Host:", 0, 5));
                switch (r.nextInt(3)) {
                    case 0 -> {}
                    case 1 -> {
                        lines.add(1, "Host: a");
                        lines.add(1 + r.nextInt(lines.size()), "host: a");
                    }
                    default -> lines.add(1, "Host: " + Fuzz.pick(r, new String[] {"a b", "a:b", "u@a", "a/b", "[::1", "a\""}));
                }
            }
            case 14 -> lines.set(0, Fuzz.pick(r, new String[] {"G(T", "GE\"T", "G\u0080T", "", "G\0T", "G:T"}) + " " + rl[1] + " " + rl[2]);
            default -> lines.set(0, Fuzz.pick(r, new String[] {" ", "\t", "\n", "\r"}) + requestLine);
        }
        return lines;
    }

    /**
     * Parses {@code in} whole and split, and checks everything any answer must satisfy; returns
     * the whole parse.
     */
    private static Heads.Snapshot check(Random r, byte[] in, int attempt) {
        String what = "attempt " + attempt + ", seed " + Fuzz.SEED + ": " + Fuzz.show(in);
        MemorySegment seg = Heads.segment(in, 0, 0);
        HttpRequestParser p = new HttpRequestParser();
        int result;
        try {
            result = p.parse(seg, 0, seg.byteSize());
        } catch (RuntimeException e) {
            throw new AssertionError("threw on " + what, e);
        }
        Heads.Snapshot whole = Heads.Snapshot.of(p, seg, result);
        switch (result) {
            case HttpRequestParser.NEED_MORE -> {}
            case HttpRequestParser.ERROR -> assertTrue(STATUSES.contains(p.errorStatus()), what);
            case HttpRequestParser.COMPLETE -> {
                invariants(p, seg, what);
                assertNull(violation(in, (int) p.headEnd()), what);
            }
            default -> fail("result " + result + " on " + what);
        }
        int[] cuts = Fuzz.cuts(r, in.length);
        assertEquals(whole, Heads.split(HttpLimits.DEFAULT, in, cuts), () -> "split at " + java.util.Arrays.toString(cuts) + ", " + what);
        if (attempt % 8 == 0) {
            assertEquals(whole, Heads.byteByByte(HttpLimits.DEFAULT, new String(in, java.nio.charset.StandardCharsets.ISO_8859_1)),
                    () -> "byte by byte, " + what);
        }
        return whole;
    }

    /** What the parser says about a COMPLETE head agrees with itself and with the bytes. */
    private static void invariants(HttpRequestParser p, MemorySegment seg, String what) {
        long start = p.requestStart();
        long end = p.headEnd();
        assertTrue(end <= seg.byteSize() && end - start >= 18, what);
        assertEquals("\r\n\r\n", ChunkedBodies.string(seg, end - 4, end), what);
        assertTrue(p.method() != null, what);
        String name = p.methodName(seg);
        assertTrue(!name.isEmpty() && name.chars().allMatch(c -> HttpBytes.is(c, HttpBytes.TCHAR)), what);
        if (p.method() != HttpMethod.OTHER) assertEquals(p.method().name(), name, what);
        assertTrue(p.version() == HttpVersion.HTTP_1_0 || p.version() == HttpVersion.HTTP_1_1, what);
        within(start, end, what, p.methodStart(), p.methodEnd(), p.targetStart(), p.targetEnd(), p.pathStart(), p.pathEnd());
        int hosts = 0;
        int lengths = 0;
        int codings = 0;
        for (int i = 0; i < p.headerCount(); i++) {
            within(start, end, what, p.headerNameStart(i), p.headerNameEnd(i), p.headerValueStart(i), p.headerValueEnd(i));
            assertTrue(p.headerNameStart(i) < p.headerNameEnd(i), what);
            String n = p.headerName(seg, i).toLowerCase(Locale.ROOT);
            if (n.equals("host")) hosts++;
            if (n.equals("content-length")) lengths++;
            if (n.equals("transfer-encoding")) codings++;
        }
        assertEquals(p.version() == HttpVersion.HTTP_1_1 ? 1 : Math.min(hosts, 1), hosts, what);
        assertTrue(lengths <= 1 && (lengths == 0 || codings == 0), what);
        assertEquals(codings > 0, p.chunked(), what);
        assertTrue(!p.chunked() || p.version() == HttpVersion.HTTP_1_1, what);
        assertEquals(lengths > 0, p.contentLength() >= 0, what);
    }

    private static void within(long start, long end, String what, long... offsets) {
        for (int i = 0; i < offsets.length; i += 2) {
            assertTrue(start <= offsets[i] && offsets[i] <= offsets[i + 1] && offsets[i + 1] < end, what);
        }
    }

    /**
     * An independent, slow reading of the rules, over the head's bytes [0, end): the first rule
     * broken, or null. Written from RFC 9112 rather than from the parser, so the two check each other.
     */
    static String violation(byte[] in, int end) {
        String head = new String(in, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c == '\r' && (i + 1 == head.length() || head.charAt(i + 1) != '\n')) return "bare CR";
            if (c == '\n' && (i == 0 || head.charAt(i - 1) != '\r')) return "bare LF";
            if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7F) return "CTL";
        }
        while (head.startsWith("\r\n")) head = head.substring(2);
        String[] lines = head.substring(0, head.length() - 4).split("\r\n", -1);
        String[] rl = lines[0].split(" ", -1);
        if (rl.length != 3) return "request line is not three parts";
        if (rl[0].isEmpty() || !rl[0].chars().allMatch(c -> HttpBytes.is(c, HttpBytes.TCHAR))) return "method";
        if (rl[1].isEmpty() || !rl[1].chars().allMatch(c -> c > 0x20 && c < 0x7F && "<>\"{}|\\^`#".indexOf(c) < 0)) return "target";
        if (!rl[2].equals("HTTP/1.1") && !rl[2].equals("HTTP/1.0")) return "version";
        int hosts = 0;
        int lengths = 0;
        String codings = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) return "field line without a name";
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!name.chars().allMatch(c -> HttpBytes.is(c, HttpBytes.TCHAR))) return "field name";
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "host" -> hosts++;
                case "content-length" -> {
                    lengths++;
                    if (!value.matches("[0-9]{1,18}")) return "Content-Length value";
                }
                case "transfer-encoding" -> codings = codings == null ? value : codings + "," + value;
                default -> {}
            }
        }
        if (rl[2].equals("HTTP/1.1") ? hosts != 1 : hosts > 1) return "Host count";
        if (lengths > 1) return "two Content-Lengths";
        if (codings != null) {
            if (lengths > 0) return "Transfer-Encoding with Content-Length";
            if (!rl[2].equals("HTTP/1.1")) return "Transfer-Encoding in HTTP/1.0";
            List<String> list = new ArrayList<>();
            for (String e : codings.split(",")) if (!e.strip().isEmpty()) list.add(e.strip().toLowerCase(Locale.ROOT));
            if (!list.equals(List.of("chunked"))) return "codings other than one chunked";
        }
        return null;
    }
}
