package dev.ringside.uring.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A deliberately dumb HTTP/1.1 client over a plain socket: writes exactly the bytes it is given
 * and reads responses one by one, so tests can pipeline, split and misbehave at will.
 */
public final class RawHttp implements AutoCloseable {
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;

    public RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    public Socket socket() {
        return socket;
    }

    public RawHttp send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code headRequest}: no body follows whatever Content-Length says. */
    public Response read(boolean headRequest) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while (!(l = line()).isEmpty()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        String cl = headers.get("content-length");
        if (!headRequest && cl != null && status != 304) {
            body = in.readNBytes(Integer.parseInt(cl));
        }
        return new Response(status, headers, body);
    }

    /**
     * Reads one response exactly as it came, interim (1xx) answers before it included: the head,
     * and the body as framed (Content-Length, chunked with its trailers, or until the server
     * closes). {@code headRequest}: no body follows whatever the head says. Null if the server
     * closed before the first byte.
     */
    public String readRaw(boolean headRequest) throws IOException {
        StringBuilder raw = new StringBuilder();
        while (true) {
            String statusLine = rawLine(raw);
            if (statusLine == null) {
                if (raw.isEmpty()) return null;
                throw new IOException("connection closed within a response: " + raw);
            }
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            String length = null;
            boolean chunked = false;
            for (String l; !(l = rawLine(raw)).isEmpty(); ) {
                int colon = l.indexOf(':');
                String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = l.substring(colon + 1).trim();
                if (name.equals("content-length")) length = value;
                if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            }
            if (status < 200) {
                continue; // an interim answer: the final one follows
            }
            if (headRequest || status == 204 || status == 304) {
                return raw.toString();
            }
            if (chunked) {
                for (String size; ; ) {
                    size = rawLine(raw);
                    int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
                    if (n == 0) {
                        while (!rawLine(raw).isEmpty()) {
                            // trailer fields
                        }
                        return raw.toString();
                    }
                    raw.append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
                    rawLine(raw);
                }
            }
            byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
            return raw.append(new String(body, StandardCharsets.ISO_8859_1)).toString();
        }
    }

    /** A line as {@link #line} returns it, also appended to {@code raw} with its line ending. */
    private String rawLine(StringBuilder raw) throws IOException {
        int c;
        int start = raw.length();
        while ((c = in.read()) != -1) {
            raw.append((char) c);
            if (c == '\n') {
                int end = raw.length() - 1;
                if (end > start && raw.charAt(end - 1) == '\r') end--;
                return raw.substring(start, end);
            }
        }
        return raw.length() == start ? null : raw.substring(start);
    }

    /**
     * True if the server ended the connection cleanly (EOF) within the socket timeout; a reset
     * or a timeout is not a clean end.
     */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if the connection ended in any way: EOF or reset (a refused connection may be reset). */
    public boolean endedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Sends {@code request}, in two writes split at {@code split} with a pause between (or whole if
     * {@code split} is -1), and returns everything the server sends until it closes; a reset after
     * the answer (the server closed with bytes of ours unread) ends it too. Fails if the server
     * keeps the connection open 10 s after its last byte.
     */
    public static String untilClosed(int port, byte[] request, int split) throws IOException {
        try (RawHttp c = new RawHttp(port)) {
            c.socket.setTcpNoDelay(true);
            OutputStream out = c.socket.getOutputStream();
            if (split < 0) {
                out.write(request);
            } else {
                out.write(request, 0, split);
                out.flush();
                // Long enough for the first part to arrive and be read on its own, most of the time.
                LockSupport.parkNanos(200_000);
                try {
                    out.write(request, split, request.length - split);
                } catch (IOException closedAlready) {
                    // The server may have answered and closed on the first part: its answer is what counts.
                }
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = c.in.read(buffer)) > 0; ) {
                    got.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection was not closed within 10 s after: "
                        + got.toString(StandardCharsets.ISO_8859_1));
            } catch (SocketException reset) {
                // A reset after the answer.
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** One line without its line ending, or null at the end of the stream. */
    private String line() throws IOException {
        return rawLine(new StringBuilder());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
