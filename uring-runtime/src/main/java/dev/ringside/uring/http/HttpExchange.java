package dev.ringside.uring.http;

import dev.ringside.uring.files.CachedFile;

import java.lang.foreign.MemorySegment;

/**
 * One request and the means to answer it, as a {@link RequestHandler} sees them. The request
 * is the parser's offsets into {@link #segment()}; those bytes are valid only until the handler
 * returns, so a handler copies what it keeps.
 */
public interface HttpExchange {
    MemorySegment segment();

    HttpRequestParser request();

    /** The loop's clock, for cache validity. */
    long nowNanos();

    /** The loop's wall clock ({@link System#currentTimeMillis()}) at this turn, for reading dates. */
    long nowMillis();

    /** 200 with the file's pre-rendered header lines, and its body unless {@code headOnly}. */
    void respondFile(CachedFile file, boolean headOnly);

    /**
     * {@code status} with the file's header lines, {@code extraHeaderLines} (each ending CRLF,
     * may be null), {@code Content-Length: length}, and the bytes [offset, offset + length) of the
     * file unless {@code headOnly}: a 206 for a range, or 200 for a precompressed sibling.
     */
    void respondFile(CachedFile file, int status, byte[] extraHeaderLines, long offset, long length, boolean headOnly);

    /**
     * A response without a file body: a status, optional extra header lines (each ending CRLF),
     * and no body. {@code close} ends the connection after it.
     */
    void respondStatus(int status, byte[] extraHeaderLines, boolean close);

    /**
     * Hands this request to another thread, which answers it through the returned exchange
     * (the head is copied out; the body streams in as it arrives). Counts as the one response.
     */
    OffloadedExchange offload();

    /**
     * Hands the connection to {@code backend} (a container's own connector): the loop connects
     * to it, sends it this request's head exactly as received and every byte that followed, then
     * relays bytes both ways until both sides have closed. The backend answers the request
     * (101 Switching Protocols, or anything else). If the backend cannot be reached the client
     * gets 502 (504 if it does not accept in time) and the connection closes. Counts as the one
     * response; no keep-alive or header timeout applies to the tunnel.
     */
    void tunnel(java.net.InetSocketAddress backend);

    /**
     * Answers nothing now: this request waits for {@code work} (started unless it already is) and
     * is handled again on the loop, from its head, once the work is done. For what would block the
     * loop (a file not yet open); instead of an answer, once per call of the handler.
     */
    void await(OffLoopWork work);

    /** What the handler attached to this request's connection, or null: see {@link #attach}. */
    ConnectionAttachment attachment();

    /**
     * Keeps {@code attachment} with this request's connection: {@link #attachment()} returns it for
     * every later request on it, the exchange offloaded for this or a later request carries it
     * ({@link OffloadedExchange#attachment()}), and its {@link ConnectionAttachment#connectionClosed()}
     * runs once the connection has closed. Replaces an earlier one, which is then never told.
     */
    void attach(ConnectionAttachment attachment);

    /** The loop's wall clock ({@link System#currentTimeMillis()}) when this request's connection was accepted. */
    long connectionOpenedMillis();
}
