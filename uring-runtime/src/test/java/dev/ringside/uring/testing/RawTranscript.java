package dev.ringside.uring.testing;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Everything a server sends back to some requests written at once, as it came: status lines, every
 * field in its order, bodies as framed, then "[open]" or "[closed]" for what became of the
 * connection. Only what no two runs share is normalised: Date values, the port, session ids and
 * multipart boundaries (and with them the chunk sizes of such a body). Two servers whose transcripts are equal answered byte for byte alike.
 */
public final class RawTranscript {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=([0-9A-Za-z_'()+,./:=?-]+)");

    private RawTranscript() {}

    /**
     * The same requests to two servers give the same transcript, after {@code normalise} (what an
     * app's own state changes between runs, beyond what {@link #of} normalises).
     */
    public static void assertSame(int first, int second, UnaryOperator<String> normalise, String... requests)
            throws Exception {
        String[] both = ofBoth(first, second, requests);
        assertEquals(normalise.apply(both[0]), normalise.apply(both[1]), () -> String.join("", requests));
    }

    /**
     * The transcripts of the same requests to two servers, taken at the same time: what is mostly
     * spent waiting (300 ms to see whether a connection stays open) is spent once.
     */
    private static String[] ofBoth(int first, int second, String... requests) throws Exception {
        java.util.concurrent.FutureTask<String> other = new java.util.concurrent.FutureTask<>(() -> of(first, requests));
        Thread.ofPlatform().daemon().start(other); // a virtual one would open the JDK's pollers, which tests count as leaked
        String secondTranscript = of(second, requests);
        try {
            return new String[] {other.get(), secondTranscript};
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    public static String of(int port, String... requests) throws Exception {
        StringBuilder out = new StringBuilder();
        try (RawHttp c = new RawHttp(port)) {
            c.send(String.join("", requests));
            for (String request : requests) {
                String answer = c.readRaw(request.startsWith("HEAD "));
                if (answer == null) {
                    break;
                }
                out.append(normalised(answer, port));
            }
            c.socket().setSoTimeout(300);
            out.append(c.endedByServer() ? "[closed]" : "[open]");
        }
        return out.toString();
    }

    /**
     * Every line of nothing but hex digits as "<size>": the chunk sizes of a body whose length
     * depends on something normalised away (a boundary, an instant). A body line of only hex digits
     * is replaced as well, alike on both sides.
     */
    public static String withoutChunkSizes(String transcript) {
        return transcript.replaceAll("(?m)^[0-9A-Fa-f]+(?=\r\n)", "<size>");
    }

    private static String normalised(String answer, int port) {
        Matcher boundary = BOUNDARY.matcher(answer);
        if (boundary.find()) {
            // Jetty's and Spring's are random, Spring's of random length too: so are chunk sizes then.
            answer = withoutChunkSizes(answer.replace(boundary.group(1), "<boundary>"));
        }
        return answer.replaceAll("(?m)^Date: [^\\r]*", "Date: <date>")
                .replace(":" + port, ":PORT")
                .replaceAll("(?i)(jsessionid=)[0-9A-Za-z._-]+", "$1<id>");
    }
}
