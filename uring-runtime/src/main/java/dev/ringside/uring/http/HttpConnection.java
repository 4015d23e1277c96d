package dev.ringside.uring.http;

import dev.ringside.uring.files.CachedFile;

/**
 * The state of one connection slot: the descriptor, what is in flight, unconsumed input and
 * the response being sent. Plain fields, touched only by the owning loop; reset and reused
 * when the slot is given to the next connection.
 */
final class HttpConnection {
    static final int FREE = 0;
    static final int IDLE = 1;
    static final int RESPONDING = 2;
    static final int CLOSING = 3;
    /** Our side is shut for writing; the client's late bytes are read and dropped until EOF or a deadline. */
    static final int LINGERING = 4;
    /** Handed to a backend: bytes are relayed both ways by {@link #tunnel}; no HTTP timeout applies. */
    static final int TUNNEL = 5;

    /** Response phases. */
    static final int SENDING_MEMORY = 1;
    static final int SPLICING = 2;
    static final int READING_FILE = 3;

    final int slot;
    /** Lent from the loop's pool while a head is parsed and answered; null when idle. */
    HttpRequestParser parser;
    /** The request being answered is HTTP/1.0 (its keep-alive must be said explicitly). */
    boolean http10;
    /** Its Connection field named keep-alive (Tomcat answers that with a Keep-Alive field). */
    boolean keepAliveAsked;
    /**
     * It expects 100-continue and the loop is answering it in a style that sends the interim
     * line first (Tomcat's); cleared once written, or when the handler returns.
     */
    boolean continueOwed;
    int generation;
    int fd = -1;
    int state = FREE;
    /** Operations submitted and not yet completed for good (an armed multishot recv counts once). */
    int ops;
    boolean recvArmed;
    /** Its receive ended with ENOBUFS; it waits in the loop's starved list for a buffer. */
    boolean starved;
    boolean closeAfterResponse;
    /** Request-body bytes still to be read and dropped before the next request begins. */
    long bodyLeft;
    /** Where the body handed to a worker at offload stopped in the current input, or -1. */
    long bodyFedTo = -1;
    /** Lent while a chunked request body is being read and dropped; null otherwise. */
    ChunkedDecoder chunks;
    /** The client sent FIN: nothing more will arrive, no need to linger. */
    boolean peerClosed;
    long lingerUntil;
    long lingerBytes;
    /** A complete request is held until a response-head buffer frees up. */
    boolean waitingForHead;
    /** A complete request is held until this work, which its handler waits for, is done; or null. */
    OffLoopWork waitingFor;
    int requests;
    long lastActive;
    /** When the send (or splice) to the socket now in flight was posted, or 0: the stalled reader's clock. */
    long sendPostedAt;
    /** The request's JFR event while a recording wants one, else null. */
    dev.ringside.uring.events.RequestEvent request;
    /** When the current head began to arrive, or 0: the slowloris clock. */
    long headStarted;

    // Unconsumed input: a pool chunk and the absolute range of bytes in it.
    int inChunk = -1;
    long inStart;
    long inEnd;

    // The response in flight.
    int phase;
    int headChunk = -1;
    CachedFile file;
    long bodyOffset;
    long bodyRemaining;
    int pipe = -1;
    int pipeFill;
    int readChunk = -1;

    /** The request being answered by a worker thread, or null. */
    OffloadedExchange offload;
    /** The offloaded exchange's body window is full: no receive until it drains. */
    boolean recvPaused;
    /** A cancel of the multishot receive is in flight (its -ECANCELED completion is expected). */
    boolean recvCancelling;
    /** The close after this answer is only for an unanswered {@code Expect: 100-continue}. */
    boolean closeForExpect;
    /** The tunnel this connection was handed to, or null. */
    Tunnel tunnel;
    /** Peer and local addresses, looked up once per connection when a request is first offloaded. */
    boolean addressesKnown;
    String remoteAddr;
    int remotePort;
    String localAddr;
    int localPort;
    /** The loop's wall clock when the connection was accepted. */
    long openedMillis;
    /** What the handler keeps with this connection ({@link HttpExchange#attach}), or null. */
    ConnectionAttachment attachment;

    HttpConnection(int slot) {
        this.slot = slot;
    }

    /** Bytes that arrive now belong to a request body, not to the next request. */
    boolean inBody() {
        return bodyLeft > 0 || chunks != null;
    }

    boolean hasInput() {
        return inEnd > inStart;
    }

    /** Its complete request is held as input, not parsed, until something comes back (a head buffer, off-loop work). */
    boolean parked() {
        return waitingForHead || waitingFor != null;
    }

    void open(int fd, int generation, long now, long nowMillis) {
        this.fd = fd;
        this.generation = generation;
        this.state = IDLE;
        this.ops = 0;
        this.recvArmed = false;
        this.starved = false;
        this.closeAfterResponse = false;
        this.peerClosed = false;
        this.bodyLeft = 0;
        this.bodyFedTo = -1;
        this.chunks = null;
        this.lingerUntil = 0;
        this.lingerBytes = 0;
        this.waitingForHead = false;
        this.waitingFor = null;
        this.requests = 0;
        this.lastActive = now;
        this.headStarted = 0;
        this.sendPostedAt = 0;
        this.request = null;
        this.inChunk = -1;
        this.inStart = this.inEnd = 0;
        this.phase = 0;
        this.headChunk = -1;
        this.file = null;
        this.pipe = -1;
        this.pipeFill = 0;
        this.readChunk = -1;
        this.parser = null;
        this.http10 = false;
        this.keepAliveAsked = false;
        this.continueOwed = false;
        this.offload = null;
        this.tunnel = null;
        this.recvPaused = false;
        this.recvCancelling = false;
        this.closeForExpect = false;
        this.addressesKnown = false;
        this.remoteAddr = null;
        this.localAddr = null;
        this.openedMillis = nowMillis;
        this.attachment = null;
    }
}
