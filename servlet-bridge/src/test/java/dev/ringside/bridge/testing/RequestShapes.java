package dev.ringside.bridge.testing;

import dev.ringside.uring.testing.PinnedMtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests browsers, proxies and download tools send at the edges of HTTP/1.1, for an app at
 * {@code /app} with a plain file {@code small.txt} (at least 20 bytes) that the loop may send and
 * a servlet under {@code /api/}, its files' mtimes pinned ({@link PinnedMtime}). Each shape is one connection's worth of requests, written at once.
 */
public final class RequestShapes {
    public record Shape(String name, String... requests) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String FILE = "/app/small.txt";
    private static final String SERVLET = "/app/api/x";

    private RequestShapes() {}

    public static List<Shape> all() {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("a file", get(FILE)));
        s.add(new Shape("a file, HEAD", "HEAD " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("a file, Connection: close", get(FILE, "Connection: close")));
        s.add(new Shape("a file, Connection: keep-alive", get(FILE, "Connection: keep-alive")));
        s.add(new Shape("the servlet, Connection: keep-alive", get(SERVLET, "Connection: keep-alive")));
        s.add(new Shape("a file, query", get(FILE + "?v=1")));
        s.add(new Shape("a file, absolute-form", "GET http://x" + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("a file, Expect: 100-continue", get(FILE, "Expect: 100-continue")));
        s.add(new Shape("the servlet, Expect: 100-continue", get(SERVLET, "Expect: 100-continue")));
        s.add(new Shape("the welcome file", get("/app/")));
        s.add(new Shape("a missing file", get("/app/missing.txt")));
        s.add(new Shape("a directory without its slash", get("/app/css")));

        s.add(new Shape("HTTP/1.0, a file", get10(FILE)));
        s.add(new Shape("HTTP/1.0 keep-alive, a file twice", get10(FILE, "Connection: keep-alive"),
                get10(FILE, "Connection: keep-alive")));
        s.add(new Shape("HTTP/1.0, the servlet", get10(SERVLET)));
        s.add(new Shape("HTTP/1.0 keep-alive, the servlet twice", get10(SERVLET, "Connection: keep-alive"),
                get10(SERVLET, "Connection: keep-alive")));
        s.add(new Shape("HTTP/1.0 keep-alive, a file then the servlet", get10(FILE, "Connection: keep-alive"),
                get10(SERVLET, "Connection: keep-alive")));

        s.add(new Shape("one range", get(FILE, "Range: bytes=2-5")));
        s.add(new Shape("a suffix range", get(FILE, "Range: bytes=-5")));
        s.add(new Shape("an unsatisfiable range", get(FILE, "Range: bytes=1000-")));
        s.add(new Shape("two disjoint ranges", get(FILE, "Range: bytes=0-4,10-14")));
        s.add(new Shape("two touching ranges", get(FILE, "Range: bytes=0-1,2-3")));
        s.add(new Shape("overlapping ranges", get(FILE, "Range: bytes=0-9,5-14")));
        s.add(new Shape("ranges out of order", get(FILE, "Range: bytes=10-14,0-4")));
        s.add(new Shape("one range on HEAD", "HEAD " + FILE + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n"));
        s.add(new Shape("ranges on HEAD", "HEAD " + FILE + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4,10-14\r\n\r\n"));

        s.add(new Shape("If-None-Match: *", get(FILE, "If-None-Match: *")));
        s.add(new Shape("If-None-Match: * on HEAD", "HEAD " + FILE + " HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n"));
        s.add(new Shape("If-Match: *", get(FILE, "If-Match: *")));
        s.add(new Shape("If-Match: * on a missing file", get("/app/missing.txt", "If-Match: *")));
        s.add(new Shape("If-Modified-Since long ago", get(FILE, "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT")));
        s.add(new Shape("If-Modified-Since the file's date", get(FILE, "If-Modified-Since: " + PinnedMtime.AT_TEXT)));
        s.add(new Shape("If-Modified-Since the file's date, HTTP/1.0 keep-alive",
                get10(FILE, "If-Modified-Since: " + PinnedMtime.AT_TEXT, "Connection: keep-alive")));
        s.add(new Shape("If-Unmodified-Since long ago", get(FILE, "If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT")));

        s.add(new Shape("OPTIONS on a file", "OPTIONS " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("OPTIONS on the servlet", "OPTIONS " + SERVLET + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("POST to the servlet", "POST " + SERVLET + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
        s.add(new Shape("TRACE", "TRACE " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("an encoded path", get("/app/%73mall.txt")));
        s.add(new Shape("a dotted path", get("/app/css/../small.txt")));
        s.add(new Shape("a path parameter", get(FILE + ";x=1")));

        s.add(new Shape("pipelined: file, servlet, file, HEAD file, servlet", get(FILE), get(SERVLET), get(FILE),
                "HEAD " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n", get(SERVLET)));
        s.add(new Shape("pipelined: servlet, file, range, missing, close", get(SERVLET), get(FILE),
                get(FILE, "Range: bytes=0-3"), get("/app/missing.txt"), get(FILE, "Connection: close")));
        return s;
    }

    private static String get(String target, String... fields) {
        return request("HTTP/1.1", target, fields);
    }

    private static String get10(String target, String... fields) {
        return request("HTTP/1.0", target, fields);
    }

    private static String request(String version, String target, String... fields) {
        StringBuilder b = new StringBuilder("GET ").append(target).append(' ').append(version).append("\r\nHost: x\r\n");
        for (String f : fields) {
            b.append(f).append("\r\n");
        }
        return b.append("\r\n").toString();
    }
}
