package dev.ringside.uring.http;

/**
 * Size limits on a request head. Each is counted exactly: a head at the limit is accepted, one
 * byte (or one field) more is rejected.
 *
 * @param maxRequestLine bytes of {@code method SP request-target SP HTTP-version}, not counting
 *     its CRLF (RFC 9112 §3); over it the answer is 414
 * @param maxHeaderBytes bytes from the first field line through the CRLF of the empty line that
 *     ends the head, i.e. everything after the request line's CRLF; over it the answer is 431
 * @param maxHeaderCount field lines; one more is 431. The parser preallocates its field arrays
 *     to this size.
 */
public record HttpLimits(int maxRequestLine, int maxHeaderBytes, int maxHeaderCount) {

    /** 8 KiB request line, 16 KiB of fields, 100 fields: what browsers and proxies stay under. */
    public static final HttpLimits DEFAULT = new HttpLimits(8 * 1024, 16 * 1024, 100);

    public HttpLimits {
        // The shortest valid head, "GET / HTTP/1.1" + "\r\n", must be able to pass.
        if (maxRequestLine < 14) throw new IllegalArgumentException("maxRequestLine < 14: " + maxRequestLine);
        if (maxHeaderBytes < 2) throw new IllegalArgumentException("maxHeaderBytes < 2: " + maxHeaderBytes);
        if (maxHeaderCount < 1) throw new IllegalArgumentException("maxHeaderCount < 1: " + maxHeaderCount);
        // Offsets inside a head are stored as ints relative to its first byte.
        if ((long) maxRequestLine + maxHeaderBytes > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("limits too large for int offsets");
        }
    }
}
