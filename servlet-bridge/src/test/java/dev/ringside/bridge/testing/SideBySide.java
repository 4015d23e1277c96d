package dev.ringside.bridge.testing;

import dev.ringside.uring.testing.HttpDateForms;
import dev.ringside.uring.testing.RawTranscript;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One request asked of the same server twice: through the container's own connector and through
 * Ringside's. The answers must be the same: status, body (where the container's error page names
 * the URI, up to the port) and the headers that matter; {@link #offloadedFor} also says whether
 * Ringside's loop answered itself or gave the request to a container thread.
 */
public final class SideBySide implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final IntSupplier containerPort;
    private final IntSupplier ringsidePort;
    private final LongSupplier offloaded;
    private final List<String> headers;

    /**
     * @param offloaded Ringside's count of requests given to container threads
     * @param headers   compared on every answer but a 304, which has no body to describe (a
     *                  container may say Content-Length: 0, the runtime leaves it out, RFC 9110
     *                  §15.4.5); of a 304 only the validators among them are compared
     */
    public SideBySide(IntSupplier containerPort, IntSupplier ringsidePort, LongSupplier offloaded, List<String> headers) {
        this.containerPort = containerPort;
        this.ringsidePort = ringsidePort;
        this.offloaded = offloaded;
        this.headers = headers;
    }

    public static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://x" + path)).GET();
    }

    public static HttpRequest.Builder head(String path) {
        return HttpRequest.newBuilder(URI.create("http://x" + path)).method("HEAD", HttpRequest.BodyPublishers.noBody());
    }

    public HttpResponse<byte[]> sendToContainer(HttpRequest.Builder b) throws Exception {
        return send(containerPort.getAsInt(), b);
    }

    public HttpResponse<byte[]> sendToRingside(HttpRequest.Builder b) throws Exception {
        return send(ringsidePort.getAsInt(), b);
    }

    /** Same answer from both connectors; returns how many of Ringside's went to a container thread. */
    public long offloadedFor(HttpRequest.Builder b) throws Exception {
        HttpResponse<byte[]> container = send(containerPort.getAsInt(), b);
        long before = offloaded.getAsLong();
        HttpResponse<byte[]> ringside = send(ringsidePort.getAsInt(), b);
        long after = offloaded.getAsLong();
        String what = b.build().uri().getRawPath() + " " + b.build().headers().map();
        assertEquals(container.statusCode(), ringside.statusCode(), what);
        assertEquals(text(container.body(), containerPort.getAsInt()), text(ringside.body(), ringsidePort.getAsInt()), what);
        List<String> compared = container.statusCode() != 304 ? headers
                : headers.stream().filter(h -> h.equals("etag") || h.equals("last-modified")).toList();
        for (String h : compared) {
            assertEquals(values(container, h), values(ringside, h), what + " header " + h);
        }
        return after - before;
    }

    /**
     * The same requests, written in one go to each connector, are answered with the same bytes:
     * status lines, every field in its order, bodies as framed, and the connection left open or
     * closed alike; only Date values, the ports, session ids and multipart boundaries may differ. Returns how many of
     * Ringside's answers went to a container thread.
     */
    public long sameBytes(String... requests) throws Exception {
        long before = offloaded.getAsLong();
        RawTranscript.assertSame(containerPort.getAsInt(), ringsidePort.getAsInt(), t -> t, requests);
        return offloaded.getAsLong() - before;
    }

    /**
     * The Last-Modified the loop sent for {@code small} is {@code expected}, and revalidating with
     * it, in each form a client may send it back, is answered by the loop as by the container:
     * 304 for If-Modified-Since, a 206 of {@code large} for If-Range, a 200 for If-Unmodified-Since.
     */
    public void revalidatesWithTheDateRingsideSent(String small, String large, String expected) throws Exception {
        String sent = sendToRingside(get(small)).headers().firstValue("last-modified").orElseThrow();
        assertEquals(expected, sent, "an IMF-fixdate: the day has two digits");
        String[] forms = {sent, HttpDateForms.rfc850(sent), HttpDateForms.asctime(sent)};
        for (String date : forms) {
            expectFromLoop(get(small).header("If-Modified-Since", date), 304);
            expectFromLoop(get(small).header("If-Unmodified-Since", date), 200);
            expectFromLoop(get(large).header("Range", "bytes=10-19").header("If-Range", date), 206);
        }
    }

    private void expectFromLoop(HttpRequest.Builder b, int status) throws Exception {
        assertEquals(0, offloadedFor(b), "answered by the loop");
        assertEquals(status, sendToRingside(b).statusCode());
    }

    /** Vary names header fields, whose case does not matter (Tomcat says "accept-encoding", the runtime "Accept-Encoding"). */
    private static List<String> values(HttpResponse<?> r, String header) {
        List<String> v = r.headers().allValues(header);
        return header.equalsIgnoreCase("vary") ? v.stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList() : v;
    }

    private static String text(byte[] body, int port) {
        return new String(body, StandardCharsets.ISO_8859_1).replace(":" + port + "/", ":PORT/");
    }

    private HttpResponse<byte[]> send(int port, HttpRequest.Builder b) throws Exception {
        HttpRequest template = b.build();
        URI uri = URI.create("http://127.0.0.1:" + port + template.uri().getRawPath()
                + (template.uri().getRawQuery() == null ? "" : "?" + template.uri().getRawQuery()));
        HttpRequest.Builder copy = HttpRequest.newBuilder(uri).method(template.method(),
                HttpRequest.BodyPublishers.noBody());
        template.headers().map().forEach((k, vs) -> vs.forEach(v -> copy.header(k, v)));
        return client.send(copy.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        client.close();
    }
}
