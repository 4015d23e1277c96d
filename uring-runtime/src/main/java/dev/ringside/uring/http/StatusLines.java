package dev.ringside.uring.http;

import java.nio.charset.StandardCharsets;

/**
 * Pre-encoded {@code HTTP/1.1 <status> <reason>\r\n} lines, the reason phrases they use, and the
 * bare {@code HTTP/1.1 <status> \r\n} lines Tomcat writes (RFC 9112 §4 allows an empty reason).
 */
final class StatusLines {

    private static final byte[][] LINES = new byte[600][];
    private static final String[] REASONS = new String[600];
    private static final byte[][] BARE = new byte[600][];

    static {
        for (int status = 100; status < 600; status++) {
            BARE[status] = ("HTTP/1.1 " + status + " \r\n").getBytes(StandardCharsets.US_ASCII);
        }
        reason(100, "Continue");
        reason(101, "Switching Protocols");
        reason(200, "OK");
        reason(201, "Created");
        reason(204, "No Content");
        reason(206, "Partial Content");
        reason(301, "Moved Permanently");
        reason(302, "Found");
        reason(303, "See Other");
        reason(304, "Not Modified");
        reason(307, "Temporary Redirect");
        reason(308, "Permanent Redirect");
        reason(400, "Bad Request");
        reason(401, "Unauthorized");
        reason(403, "Forbidden");
        reason(404, "Not Found");
        reason(405, "Method Not Allowed");
        reason(408, "Request Timeout");
        reason(411, "Length Required");
        reason(412, "Precondition Failed");
        reason(413, "Content Too Large");
        reason(414, "URI Too Long");
        reason(416, "Range Not Satisfiable");
        reason(417, "Expectation Failed");
        reason(431, "Request Header Fields Too Large");
        reason(500, "Internal Server Error");
        reason(501, "Not Implemented");
        reason(502, "Bad Gateway");
        reason(503, "Service Unavailable");
        reason(505, "HTTP Version Not Supported");
    }

    private static void reason(int status, String reason) {
        REASONS[status] = reason;
        LINES[status] = ("HTTP/1.1 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private StatusLines() {}

    /** The pre-encoded line, or null for a status without one. */
    static byte[] line(int status) {
        return status >= 100 && status < 600 ? LINES[status] : null;
    }

    /** The line without a reason phrase, for any status from 100 to 599, else null. */
    static byte[] bareLine(int status) {
        return status >= 100 && status < 600 ? BARE[status] : null;
    }

    /** The reason phrase (RFC 9110 §15), or "" for a status without one. */
    static String reason(int status) {
        String r = status >= 100 && status < 600 ? REASONS[status] : null;
        return r == null ? "" : r;
    }
}
