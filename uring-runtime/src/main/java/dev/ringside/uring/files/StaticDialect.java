package dev.ringside.uring.files;

/**
 * How the server the loop answers for writes its static answers, as far as the loop needs to know:
 * the order of a file's fields, and which answers the loop leaves to that server because it could
 * not write them exactly as it would. An error page (412, 416, 400, 404) and a redirect are
 * rendered by the container's own error handling, which an app may configure; multipart/byteranges
 * carries a boundary of the container's; and Jetty judges {@code If-None-Match: *} and
 * {@code Expect: 100-continue} on a plain GET in ways of its own (200 where RFC 9110 §13.1.2 says
 * 304; a close after the answer), and answers a range of a HEAD. Those requests go to the container, which answers them in its
 * own words; every answer the loop does give is byte for byte the container's.
 *
 * @param order               the fields' order in a file's answers
 * @param filesOnly           the loop answers only 200, 206 and 304 with a file's bytes or validators
 * @param severalRanges       the loop answers a Range with more than one range (whole, or merged when they touch)
 * @param ifNoneMatchStar     the loop answers {@code If-None-Match} containing {@code *}
 * @param expectContinue      the loop answers a request that expects 100-continue
 * @param headWithRange       the loop answers a HEAD with a Range field (ignoring the range, as RFC
 *                            9110 §14.2 requires; Jetty answers it 206)
 */
public record StaticDialect(FileFieldOrder order, boolean filesOnly, boolean severalRanges, boolean ifNoneMatchStar,
                            boolean expectContinue, boolean headWithRange) {
    /** The standalone server: it answers everything, in its own words (RFC 9110 where containers differ). */
    public static final StaticDialect RINGSIDE = new StaticDialect(FileFieldOrder.RINGSIDE, false, true, true, true, true);
    /** Tomcat 11's DefaultServlet. */
    public static final StaticDialect TOMCAT = new StaticDialect(FileFieldOrder.TOMCAT, true, false, true, true, true);
    /** Jetty 12.1's DefaultServlet (ee10, ee11). */
    public static final StaticDialect JETTY = new StaticDialect(FileFieldOrder.JETTY, true, false, false, false, false);
}
