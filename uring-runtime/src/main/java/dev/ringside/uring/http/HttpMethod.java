package dev.ringside.uring.http;

/**
 * Request methods. The registered ones the runtime may treat specially have their own constant;
 * any other valid token is {@link #OTHER}, and its bytes are at
 * {@link HttpRequestParser#methodStart()}..{@link HttpRequestParser#methodEnd()}.
 */
public enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT, OTHER;

    private static final HttpMethod[] VALUES = values();
    private static final long[] PACKED = new long[VALUES.length - 1];

    static {
        for (int i = 0; i < PACKED.length; i++) PACKED[i] = pack(VALUES[i].name());
    }

    /** Bytes of a name, first byte highest, as {@link #identify} accumulates them. */
    static long pack(String name) {
        long v = 0;
        for (int i = 0; i < name.length(); i++) v = (v << 8) | name.charAt(i);
        return v;
    }

    /**
     * The method whose bytes, accumulated first-highest into {@code packed}, are {@code length}
     * long. Methods are case-sensitive (RFC 9110 §9.1): {@code get} is OTHER.
     */
    static HttpMethod identify(long packed, int length) {
        if (length > 7) return OTHER;
        for (int i = 0; i < PACKED.length; i++) {
            if (PACKED[i] == packed) return VALUES[i];
        }
        return OTHER;
    }
}
