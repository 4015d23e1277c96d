package dev.ringside.uring.http;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded random inputs for the fuzz tests. Every run uses the same seed unless
 * {@code -Dringside.fuzz.seed=N} says otherwise, so a failure is reproducible from its message;
 * {@code -Dringside.fuzz.tries=N} scales the number of inputs (the default keeps CI fast).
 */
final class Fuzz {

    static final long SEED = Long.getLong("ringside.fuzz.seed", 0x52494E47L);
    static final int TRIES = Integer.getInteger("ringside.fuzz.tries", 4000);

    /** Bytes that decide things in HTTP/1.1 framing, drawn more often than chance would. */
    private static final byte[] SPECIAL = {'\r', '\n', ' ', '\t', 0, 0x7F, (byte) 0x80, (byte) 0xFF, ':', ';', '=',
            '"', '\\', ',', '/', '?', '%', '0', 'a', 'F'};

    private Fuzz() {}

    static Random random(String property, int attempt) {
        return new Random(SEED * 31 + property.hashCode() * 1_000_003L + attempt);
    }

    static byte anyByte(Random r) {
        return r.nextInt(3) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (byte) r.nextInt(256);
    }

    static byte[] arbitrary(Random r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        for (int i = 0; i < b.length; i++) b[i] = anyByte(r);
        return b;
    }

    /** One to three of: a byte changed, a special byte inserted, a byte removed, a line doubled, a truncation. */
    static byte[] mutate(Random r, byte[] in) {
        byte[] b = in;
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            if (b.length == 0) return b;
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> {
                    b = b.clone();
                    b[at] = anyByte(r);
                }
                case 1 -> b = insert(b, at, new byte[] {SPECIAL[r.nextInt(8)]});
                case 2 -> b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, b.length));
                case 3 -> b = doubleLine(b, at);
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    /** Repeats the CRLF-terminated line that holds offset {@code at}, if there is one. */
    static byte[] doubleLine(byte[] b, int at) {
        int start = at;
        while (start > 0 && b[start - 1] != '\n') start--;
        int end = at;
        while (end < b.length && b[end] != '\n') end++;
        if (end == b.length) return b;
        return insert(b, end + 1, Arrays.copyOfRange(b, start, end + 1));
    }

    static byte[] insert(byte[] b, int at, byte[] what) {
        return concat(concat(Arrays.copyOf(b, at), what), Arrays.copyOfRange(b, at, b.length));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** One to three increasing cut points strictly inside {@code length} (none when it is under 2). */
    static int[] cuts(Random r, int length) {
        if (length < 2) return new int[0];
        return r.ints(1 + r.nextInt(3), 1, length).sorted().distinct().toArray();
    }

    static <T> T pick(Random r, T[] from) {
        return from[r.nextInt(from.length)];
    }

    /** The input as a Java string literal, for a failure message that can be pasted into a test. */
    static String show(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xFF;
            switch (c) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04x", c));
            }
        }
        return s.append('"').toString();
    }

    static byte[] bytes(String s) {
        return Heads.bytes(s);
    }

    static byte[] join(String... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (String p : parts) o.writeBytes(bytes(p));
        return o.toByteArray();
    }
}
