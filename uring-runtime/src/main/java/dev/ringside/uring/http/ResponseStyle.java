package dev.ringside.uring.http;

import java.nio.charset.StandardCharsets;

/**
 * How the heads the loop writes itself are laid out, so that behind a container they read as the
 * container's own: a client, a cache or a test comparing bytes cannot tell which path answered.
 * What differs between servers (measured against Tomcat 11 and Jetty 12.1, request by request):
 * <ul>
 *   <li>the reason phrase: Tomcat writes none ({@code HTTP/1.1 200 }), Jetty and the runtime do;</li>
 *   <li>where Date and Server go: Tomcat adds them when it commits, after the response's own
 *       fields and Content-Length (Server last of all); Jetty and the runtime write them first;</li>
 *   <li>HTTP/1.0: Tomcat says {@code Connection: close} on an answer that closes, Jetty leaves the
 *       close implied; both say {@code Connection: keep-alive} on one that keeps the connection;</li>
 *   <li>{@code Keep-Alive: timeout=N}: Tomcat adds it for a client whose Connection field asked for
 *       keep-alive, HTTP/1.0 or 1.1 (its {@code useKeepAliveResponseHeader}), and on HTTP/1.1 says
 *       {@code Connection: keep-alive} after it;</li>
 *   <li>{@code 100 Continue}: Tomcat's interim line has no reason either, and with its default
 *       {@code continueResponseTiming=immediately} it is sent before any answer to a request that
 *       expects one, including the loop's.</li>
 * </ul>
 */
public final class ResponseStyle {
    /** The standalone server's: reason phrases, Server and Date first, explicit HTTP/1.0 close. */
    public static final ResponseStyle RINGSIDE = new ResponseStyle(true, false, true, 0, false, true);

    final boolean reasonPhrases;
    final boolean dateAndServerLast;
    final boolean closeHttp10;
    /** "Keep-Alive: timeout=N\r\n", or null for none. */
    final byte[] keepAliveTimeout;
    final boolean continueBeforeAnswers;
    final byte[] continueLine;
    /** Whether a Date field is written at all (Jetty's {@code sendDateHeader} may say no). */
    final boolean date;

    private ResponseStyle(boolean reasonPhrases, boolean dateAndServerLast, boolean closeHttp10,
                          long keepAliveTimeoutMillis, boolean continueBeforeAnswers, boolean date) {
        this.date = date;
        this.reasonPhrases = reasonPhrases;
        this.dateAndServerLast = dateAndServerLast;
        this.closeHttp10 = closeHttp10;
        this.keepAliveTimeout = keepAliveTimeoutMillis <= 0 ? null
                : ("Keep-Alive: timeout=" + keepAliveTimeoutMillis / 1000 + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.continueBeforeAnswers = continueBeforeAnswers;
        this.continueLine = (reasonPhrases ? "HTTP/1.1 100 Continue\r\n\r\n" : "HTTP/1.1 100 \r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Tomcat 11's {@code Http11Processor}.
     *
     * @param keepAliveTimeoutMillis  its keepAliveTimeout, which the Keep-Alive field gives in
     *                                whole seconds (rounded down, as Tomcat does); 0 for no field
     *                                ({@code useKeepAliveResponseHeader=false}, or no timeout)
     * @param continueImmediately     {@code continueResponseTiming=immediately}: the 100 goes out
     *                                before the answer, not only when the app reads the body
     */
    public static ResponseStyle tomcat(long keepAliveTimeoutMillis, boolean continueImmediately) {
        return new ResponseStyle(false, true, true, keepAliveTimeoutMillis, continueImmediately, true);
    }

    /**
     * Jetty 12's {@code HttpGenerator}.
     *
     * @param sendDateHeader its {@code HttpConfiguration}'s: whether answers carry a Date field
     */
    public static ResponseStyle jetty(boolean sendDateHeader) {
        return new ResponseStyle(true, false, false, 0, false, sendDateHeader);
    }

    @Override
    public String toString() {
        return this == RINGSIDE ? "ringside" : reasonPhrases ? "jetty(date=" + date + ")"
                : "tomcat(keepAlive=" + (keepAliveTimeout != null) + ", continueImmediately=" + continueBeforeAnswers + ")";
    }
}
