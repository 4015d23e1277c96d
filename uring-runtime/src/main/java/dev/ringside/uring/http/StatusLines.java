package dev.ringside.uring.http;

/** Pre-encoded {@code HTTP/1.1 NNN Reason\r\n} lines for the statuses the runtime sends. */
final class StatusLines {
    private StatusLines() {}

    private static final byte[][] LINES = new byte[600][];

    static {
        Object[][] table = {
                {100, "Continue"}, {200, "OK"}, {204, "No Content"}, {206, "Partial Content"},
                {301, "Moved Permanently"}, {302, "Found"}, {304, "Not Modified"},
                {400, "Bad Request"}, {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
                {408, "Request Timeout"}, {412, "Precondition Failed"}, {413, "Content Too Large"},
                {414, "URI Too Long"}, {416, "Range Not Satisfiable"}, {431, "Request Header Fields Too Large"},
                {500, "Internal Server Error"}, {501, "Not Implemented"}, {503, "Service Unavailable"},
                {505, "HTTP Version Not Supported"},
        };
        for (Object[] row : table) {
            int code = (Integer) row[0];
            LINES[code] = HeadBytes.ascii("HTTP/1.1 " + code + " " + row[1] + "\r\n");
        }
    }

    static byte[] of(int status) {
        byte[] line = status >= 0 && status < LINES.length ? LINES[status] : null;
        return line != null ? line : HeadBytes.ascii("HTTP/1.1 " + status + " Status\r\n");
    }
}
