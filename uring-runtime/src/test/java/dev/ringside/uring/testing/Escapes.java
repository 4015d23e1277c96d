package dev.ringside.uring.testing;

/**
 * The escapes of the runtime's request tables ({@code \r \n \t \0 \x7f \x80}), read into the
 * bytes a test sends: one reading for the parser's, the decoder's and the adapters' tests.
 */
public final class Escapes {
    private Escapes() {}

    public static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0")
                .replace("\\x7f", "\u007f").replace("\\x80", "\u0080");
    }
}
