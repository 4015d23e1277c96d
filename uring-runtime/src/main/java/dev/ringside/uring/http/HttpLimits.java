package dev.ringside.uring.http;

/**
 * Size limits on a request head and on a chunked body. Each is counted exactly: a request at the
 * limit is accepted, one byte (or one field) more is rejected.
 *
 * @param maxRequestLine bytes of {@code method SP request-target SP HTTP-version}, not counting
 *     its CRLF (RFC 9112 §3); over it the answer is 414
 * @param maxHeaderBytes bytes from the first field line through the CRLF of the empty line that
 *     ends the head, i.e. everything after the request line's CRLF; over it the answer is 431
 * @param maxHeaderCount field lines; one more is 431. The parser preallocates its field arrays
 *     to this size.
 * @param maxChunkExtensionBytes bytes of a chunk line between its chunk-size and its CRLF
 *     ({@code ;name=value...} with any BWS), per chunk line; over it the answer is 400. Nothing
 *     reads extensions, so they only cost: a bound keeps a chunk line from being endless.
 * @param maxTrailerBytes bytes after the last chunk's line through the CRLF that ends the body,
 *     counted as {@code maxHeaderBytes} is (so no trailer at all is 2 bytes); over it the answer
 *     is 431, the status for fields too large, trailers being fields
 * @param maxBodyBytes data bytes of a chunked body, checked against each chunk-size as it is
 *     declared, before its data arrives; over it the answer is 413. -1: no limit.
 */
public record HttpLimits(int maxRequestLine, int maxHeaderBytes, int maxHeaderCount,
                         int maxChunkExtensionBytes, int maxTrailerBytes, long maxBodyBytes) {

    public static final int DEFAULT_MAX_CHUNK_EXTENSION_BYTES = 4096;
    public static final int DEFAULT_MAX_TRAILER_BYTES = 16 * 1024;
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    /** {@link #maxBodyBytes} for a body of any size. */
    public static final long UNLIMITED = -1;

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
        if (maxChunkExtensionBytes < 0) {
            throw new IllegalArgumentException("maxChunkExtensionBytes < 0: " + maxChunkExtensionBytes);
        }
        // The CRLF that ends a body without trailers must be able to pass.
        if (maxTrailerBytes < 2) throw new IllegalArgumentException("maxTrailerBytes < 2: " + maxTrailerBytes);
        if (maxBodyBytes < UNLIMITED) throw new IllegalArgumentException("maxBodyBytes < -1: " + maxBodyBytes);
    }

    /** Head limits as given, body limits at their defaults (4 KiB of extensions, 16 KiB of trailers, 10 MiB). */
    public HttpLimits(int maxRequestLine, int maxHeaderBytes, int maxHeaderCount) {
        this(maxRequestLine, maxHeaderBytes, maxHeaderCount, DEFAULT_MAX_CHUNK_EXTENSION_BYTES,
                DEFAULT_MAX_TRAILER_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    /** These limits with the chunked-body limits replaced. */
    public HttpLimits withBodyLimits(int maxChunkExtensionBytes, int maxTrailerBytes, long maxBodyBytes) {
        return new HttpLimits(maxRequestLine, maxHeaderBytes, maxHeaderCount, maxChunkExtensionBytes,
                maxTrailerBytes, maxBodyBytes);
    }
}
