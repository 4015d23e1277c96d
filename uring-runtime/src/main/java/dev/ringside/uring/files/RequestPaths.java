package dev.ringside.uring.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw bytes of a request path into a path relative to the document root, or says
 * it must not be served. Runs only on a cache miss, so it may allocate. The rules, in order:
 * drop each segment's path parameters ({@code /a;jsessionid=1/b} is {@code /a/b}, as Tomcat's
 * CoyoteAdapter does before decoding, so an encoded {@code %3B} stays part of the name);
 * percent-decode exactly once (an invalid escape is refused); refuse an encoded {@code /} or
 * {@code \}, a NUL, a backslash, invalid UTF-8; then resolve {@code .} and {@code ..} segments
 * and refuse any {@code ..} that would climb above the root. The kernel enforces the same
 * boundary again at open time ({@code openat2} with {@code RESOLVE_BENEATH}).
 */
public final class RequestPaths {
    private RequestPaths() {}

    /** The decoded path without its leading slash ("" for the root), or null if refused. */
    public static String toRelative(byte[] raw, int start, int end) {
        if (start >= end || raw[start] != '/') {
            return null;
        }
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            int b = raw[i] & 0xFF;
            if (b == ';') {
                while (i + 1 < end && raw[i + 1] != '/') {
                    i++; // the parameter, up to the next segment
                }
            } else if (b == '%') {
                if (i + 2 >= end) {
                    return null;
                }
                int hi = Character.digit(raw[i + 1], 16), lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int v = (hi << 4) | lo;
                if (v == '/' || v == '\\' || v == 0) {
                    return null;
                }
                decoded.write(v);
                i += 2;
            } else if (b == '\\' || b == 0) {
                return null;
            } else {
                decoded.write(b);
            }
        }
        String path;
        try {
            path = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(decoded.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return normalize(path);
    }

    /** Resolves "." and ".." in an absolute path; null if ".." would leave the root. */
    static String normalize(String absolute) {
        String[] segments = absolute.split("/", -1);
        String[] out = new String[segments.length];
        int n = 0;
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty() || s.equals(".")) {
                if (i == segments.length - 1) {
                    out[n++] = ""; // keep a trailing slash: "/dir/" differs from "/dir"
                }
                continue;
            }
            if (s.equals("..")) {
                if (n == 0) {
                    return null;
                }
                n--;
                if (i == segments.length - 1) {
                    out[n++] = "";
                }
                continue;
            }
            out[n++] = s;
        }
        return String.join("/", java.util.Arrays.copyOf(out, n));
    }

    /** Whether a relative path names something under WEB-INF or META-INF, which is never served. */
    public static boolean isProtected(String relative) {
        String first = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : relative;
        return first.equalsIgnoreCase("WEB-INF") || first.equalsIgnoreCase("META-INF");
    }
}
