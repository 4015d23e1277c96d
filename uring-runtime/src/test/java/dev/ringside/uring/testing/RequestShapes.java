package dev.ringside.uring.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests browsers, proxies and download tools send at the edges of HTTP/1.1, for an app
 * with a plain file (at least 20 bytes) that the loop may send, a directory {@code css} and a
 * servlet. Each shape is one connection's worth of requests, written at once.
 */
public final class RequestShapes {
    public record Shape(String name, String... requests) {
        @Override
        public String toString() {
            return name;
        }
    }

    private RequestShapes() {}

    /**
     * @param context the app's context path ("/app")
     * @param file    a plain file's path in the app ("small.txt", "css/site.css")
     * @param servlet a servlet's path in the app ("api/x")
     */
    public static List<Shape> all(String context, String file, String servlet) {
        String fileTarget = context + "/" + file;
        String servletTarget = context + "/" + servlet;
        int name = file.lastIndexOf('/') + 1;
        String encoded = context + "/" + file.substring(0, name) + String.format("%%%02x", (int) file.charAt(name))
                + file.substring(name + 1);
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("a file", get(fileTarget)));
        s.add(new Shape("a file, HEAD", "HEAD " + fileTarget + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("a file, Connection: close", get(fileTarget, "Connection: close")));
        s.add(new Shape("a file, Connection: keep-alive", get(fileTarget, "Connection: keep-alive")));
        s.add(new Shape("the servlet, Connection: keep-alive", get(servletTarget, "Connection: keep-alive")));
        s.add(new Shape("a file, query", get(fileTarget + "?v=1")));
        s.add(new Shape("a file, absolute-form", "GET http://x" + fileTarget + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("a file, Expect: 100-continue", get(fileTarget, "Expect: 100-continue")));
        s.add(new Shape("the servlet, Expect: 100-continue", get(servletTarget, "Expect: 100-continue")));
        s.add(new Shape("the welcome file", get(context + "/")));
        s.add(new Shape("a missing file", get(context + "/missing.txt")));
        s.add(new Shape("a directory without its slash", get(context + "/css")));

        s.add(new Shape("HTTP/1.0, a file", get10(fileTarget)));
        s.add(new Shape("HTTP/1.0 keep-alive, a file twice", get10(fileTarget, "Connection: keep-alive"),
                get10(fileTarget, "Connection: keep-alive")));
        s.add(new Shape("HTTP/1.0, the servlet", get10(servletTarget)));
        s.add(new Shape("HTTP/1.0 keep-alive, the servlet twice", get10(servletTarget, "Connection: keep-alive"),
                get10(servletTarget, "Connection: keep-alive")));
        s.add(new Shape("HTTP/1.0 keep-alive, a file then the servlet", get10(fileTarget, "Connection: keep-alive"),
                get10(servletTarget, "Connection: keep-alive")));

        s.add(new Shape("one range", get(fileTarget, "Range: bytes=2-5")));
        s.add(new Shape("a suffix range", get(fileTarget, "Range: bytes=-5")));
        s.add(new Shape("an unsatisfiable range", get(fileTarget, "Range: bytes=1000-")));
        s.add(new Shape("two disjoint ranges", get(fileTarget, "Range: bytes=0-4,10-14")));
        s.add(new Shape("two touching ranges", get(fileTarget, "Range: bytes=0-1,2-3")));
        s.add(new Shape("overlapping ranges", get(fileTarget, "Range: bytes=0-9,5-14")));
        s.add(new Shape("ranges out of order", get(fileTarget, "Range: bytes=10-14,0-4")));
        s.add(new Shape("one range on HEAD", "HEAD " + fileTarget + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n"));
        s.add(new Shape("ranges on HEAD", "HEAD " + fileTarget + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4,10-14\r\n\r\n"));

        s.add(new Shape("If-None-Match: *", get(fileTarget, "If-None-Match: *")));
        s.add(new Shape("If-None-Match: * on HEAD", "HEAD " + fileTarget + " HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n"));
        s.add(new Shape("If-Match: *", get(fileTarget, "If-Match: *")));
        s.add(new Shape("If-Match: * on a missing file", get(context + "/missing.txt", "If-Match: *")));
        s.add(new Shape("If-Modified-Since long ago", get(fileTarget, "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT")));
        s.add(new Shape("If-Modified-Since the file's date", get(fileTarget, "If-Modified-Since: " + PinnedMtime.AT_TEXT)));
        s.add(new Shape("If-Modified-Since the file's date, HTTP/1.0 keep-alive",
                get10(fileTarget, "If-Modified-Since: " + PinnedMtime.AT_TEXT, "Connection: keep-alive")));
        s.add(new Shape("If-Unmodified-Since long ago", get(fileTarget, "If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT")));

        s.add(new Shape("OPTIONS on a file", "OPTIONS " + fileTarget + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("OPTIONS on the servlet", "OPTIONS " + servletTarget + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("POST to the servlet", "POST " + servletTarget + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
        s.add(new Shape("TRACE", "TRACE " + fileTarget + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.add(new Shape("an encoded path", get(encoded)));
        s.add(new Shape("a dotted path", get(context + "/css/../" + file)));
        s.add(new Shape("a path parameter", get(fileTarget + ";x=1")));

        s.add(new Shape("pipelined: file, servlet, file, HEAD file, servlet", get(fileTarget), get(servletTarget), get(fileTarget),
                "HEAD " + fileTarget + " HTTP/1.1\r\nHost: x\r\n\r\n", get(servletTarget)));
        s.add(new Shape("pipelined: servlet, file, range, missing, close", get(servletTarget), get(fileTarget),
                get(fileTarget, "Range: bytes=0-3"), get(context + "/missing.txt"), get(fileTarget, "Connection: close")));
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
