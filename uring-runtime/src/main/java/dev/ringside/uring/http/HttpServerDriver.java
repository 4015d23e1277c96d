package dev.ringside.uring.http;

import dev.ringside.uring.buffer.BufferPool;
import dev.ringside.uring.events.LoopPressureEvent;
import dev.ringside.uring.events.OffLoopWorkEvent;
import dev.ringside.uring.events.RequestEvent;
import dev.ringside.uring.buffer.ProvidedBufferRing;
import dev.ringside.uring.files.CachedFile;
import dev.ringside.uring.files.PipePool;
import dev.ringside.uring.loop.EventLoop;
import dev.ringside.uring.loop.LoopDriver;
import dev.ringside.uring.net.ConnectionTable;
import dev.ringside.uring.net.ListenSocket;
import dev.ringside.uring.ring.RingFeatures;
import dev.ringside.uring.ring.SubmissionQueue;
import dev.ringside.uring.ring.UserData;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.ringside.uring.sys.IoUringConstants.*;
import static dev.ringside.uring.sys.LinuxConstants.*;

/**
 * HTTP/1.1 on one loop: accept, receive, parse, answer, keep alive, close. Every connection is
 * a small state machine driven by its completions: IDLE (a receive armed) → RESPONDING (head
 * and body being sent, or a worker answering; further input is held, not parsed, so responses
 * leave in order) → IDLE again; LINGERING after an answer that closes (our side shut for
 * writing, the client's late bytes read and dropped, bounded in bytes and time, so the answer
 * is not lost to a reset); TUNNEL once an upgrade is relayed to a backend; and CLOSING, which
 * waits for every in-flight operation of the slot to complete before its buffers and slot are
 * reused (the kernel may still be reading a buffer we would free), then FREE.
 */
public final class HttpServerDriver implements LoopDriver {
    private static final System.Logger LOG = System.getLogger(HttpServerDriver.class.getName());
    private static final int RECV_GROUP = 0;
    private static final long LINGER_NANOS = 2_000_000_000L;
    private static final long LINGER_MAX_BYTES = 1 << 20;
    /** Each offloaded exchange sends from two halves of this many bytes. */
    private static final int OFFLOAD_SEND_HALF = 16 * 1024;
    /** Request-body bytes buffered for a worker before the connection stops receiving. */
    private static final int OFFLOAD_BODY_WINDOW = 64 * 1024;

    private final HttpServerConfig config;
    private final RequestHandler handler;
    private final Exchange exchange = new Exchange();
    /** Where {@link OffLoopWork} runs: the server's threads for what may block on disk. */
    private final java.util.concurrent.Executor fileThreads;
    private final HttpServerStats stats = new HttpServerStats();
    /** Failure kinds (exception classes) already logged on this loop. */
    private final java.util.Set<String> failureKindsLogged = new java.util.HashSet<>();

    private EventLoop loop;
    private SubmissionQueue sq;
    private RingFeatures features;
    private Arena arena;
    private ListenSocket listener;
    private ProvidedBufferRing recvRing;
    private BufferPool inputPool;
    private BufferPool headPool;
    private PipePool pipes;
    private ConnectionTable<HttpConnection> table;
    private LendingPool<HttpRequestParser> parsers;
    private LendingPool<ChunkedDecoder> decoders;
    private ResponseSender sender;
    private LendingPool<OffloadedExchange> offloads;
    private LendingPool<Tunnel> tunnels;
    private MemorySegment addressScratch;
    private boolean accepting;
    private boolean acceptArmed;
    private boolean acceptBackoff;
    /** Connections whose receive ended with ENOBUFS, until a provided buffer comes back. */
    private WaitList starved;
    /** Connections with a complete request waiting for a head buffer: back-pressure, not failure. */
    private WaitList deferred;

    public HttpServerDriver(HttpServerConfig config, RequestHandler handler, java.util.concurrent.Executor fileThreads) {
        this.config = config;
        this.handler = handler;
        this.fileThreads = fileThreads;
    }

    @Override
    public void start(EventLoop loop) throws IOException {
        this.loop = loop;
        this.sq = loop.ring().sq();
        this.features = loop.ring().features();
        this.arena = Arena.ofShared();
        try {
            listener = ListenSocket.open(config.address(), 4096, true);
            if (features.bufferRing()) {
                try {
                    recvRing = new ProvidedBufferRing(loop.ring(), arena, RECV_GROUP, config.recvBuffers(),
                            config.recvBufferSize());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.INFO, "provided-buffer ring unavailable, using a buffer per receive: "
                            + e.getMessage());
                }
            }
            inputPool = new BufferPool(arena, config.inputChunkSize(), config.inputChunks());
            headPool = new BufferPool(arena, ResponseSender.HEAD_CHUNK_SIZE, config.headChunks());
            pipes = features.splice() ? new PipePool(config.maxPipes(), config.pipeSize()) : null;
            table = new ConnectionTable<>(config.maxConnections(), HttpConnection::new);
            parsers = new LendingPool<>(() -> new HttpRequestParser(config.limits()), HttpRequestParser::reset);
            decoders = new LendingPool<>(() -> new ChunkedDecoder(config.limits()), ChunkedDecoder::reset);
            Callbacks callbacks = new Callbacks();
            sender = new ResponseSender(callbacks, loop, headPool, inputPool, pipes, config.pipeSize(), handler,
                    stats, config.serverHeader(), config.style());
            OffloadCallbacks offloadCallbacks = new OffloadCallbacks();
            offloads = new LendingPool<>(() -> new OffloadedExchange(loop, offloadCallbacks,
                    arena.allocate(2L * OFFLOAD_SEND_HALF, 64), OFFLOAD_BODY_WINDOW, config.style()), OffloadedExchange::reset);
            tunnels = new LendingPool<>(() -> new Tunnel(callbacks, sq, inputPool, features.socketOp(), stats,
                    arena.allocate(dev.ringside.uring.sys.SocketAddresses.SOCKADDR_STORAGE_SIZE, 8)), Tunnel::reset);
            addressScratch = arena.allocate(dev.ringside.uring.sys.SocketAddresses.SOCKADDR_STORAGE_SIZE, 8);
            starved = new WaitList(config.maxConnections(),
                    (slot, generation) -> table.current(slot, generation) && table.get(slot).starved);
            deferred = new WaitList(config.maxConnections(), (slot, generation) -> table.current(slot, generation)
                    && table.get(slot).state == HttpConnection.IDLE && table.get(slot).waitingForHead);
            accepting = true;
            armAccept();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public java.net.InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    public HttpServerStats stats() {
        stats.connectionsOpen = table.inUse();
        stats.inputChunksInUse = inputPool.inUse();
        stats.headChunksInUse = headPool.inUse();
        stats.recvBuffersOutstanding = recvRing == null ? 0 : recvRing.outstanding();
        stats.pipesInUse = pipes == null ? 0 : pipes.inUse();
        stats.pipesPooled = pipes == null ? 0 : pipes.created();
        stats.parsersInUse = parsers.inUse() + decoders.inUse();
        stats.openFiles = handler.openFiles();
        stats.offloadsInUse = offloads.inUse();
        stats.tunnelsActive = tunnels.inUse();
        return stats;
    }

    public boolean usesBufferRing() {
        return recvRing != null;
    }

    // ---- accept ----------------------------------------------------------------------------

    private void armAccept() {
        sq.prepAccept(listener.fd(), features.multishotAccept(), SOCK_CLOEXEC, UserData.pack(0, Ops.ACCEPT, 0, 0));
        acceptArmed = true;
    }

    private void onAccept(int res, int flags) {
        if ((flags & IORING_CQE_F_MORE) == 0) {
            acceptArmed = false;
        }
        if (res < 0) {
            if (res == -Errno.ECANCELED && !accepting) {
                return;
            }
            if (res == -Errno.EMFILE || res == -Errno.ENFILE || res == -Errno.ENOBUFS || res == -Errno.ENOMEM) {
                // Out of descriptors or memory: retrying at once would spin; try again next tick.
                stats.acceptErrors++;
                acceptBackoff = true;
                return;
            }
            stats.acceptErrors++;
        } else {
            accepted(res);
        }
        if (!acceptArmed && accepting && !acceptBackoff) {
            armAccept();
        }
    }

    private void accepted(int fd) {
        int slot = accepting ? table.allocate() : -1;
        if (slot < 0) {
            stats.refused++;
            sq.prepCloseQuiet(fd, UserData.pack(0, Ops.CLOSE, 0, 0));
            return;
        }
        stats.accepted++;
        HttpConnection c = table.get(slot);
        c.open(fd, table.generation(slot), loop.now(), loop.nowMillis());
        Libc.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
        armRecv(c);
    }

    // ---- receive ---------------------------------------------------------------------------

    private long ud(HttpConnection c, int op) {
        return UserData.pack(c.slot, op, 0, c.generation);
    }

    private void armRecv(HttpConnection c) {
        if (c.starved) {
            return; // re-armed from the starved list once a buffer is back
        }
        if (recvRing != null) {
            sq.prepRecvSelect(c.fd, RECV_GROUP, features.multishotRecv(), ud(c, Ops.RECV));
        } else {
            if (c.inChunk < 0 && !takeInputChunk(c)) {
                stats.poolExhausted++;
                close(c);
                return;
            }
            compact(c);
            long base = inputPool.offset(c.inChunk);
            long room = base + inputPool.chunkSize() - c.inEnd;
            if (room == 0) {
                // A head as large as the whole chunk: the parser's limits reject it before this.
                respondError(c, 431);
                return;
            }
            sq.prepRecv(c.fd, inputPool.slab().address() + c.inEnd, (int) room, 0, ud(c, Ops.RECV));
        }
        c.recvArmed = true;
        c.ops++;
    }

    private void onRecv(HttpConnection c, int res, int flags) {
        boolean cancelled = false;
        if ((flags & IORING_CQE_F_MORE) == 0) {
            c.recvArmed = false;
            c.ops--;
            cancelled = c.recvCancelling;
            c.recvCancelling = false;
        }
        int bid = -1;
        if ((flags & IORING_CQE_F_BUFFER) != 0) {
            bid = flags >>> IORING_CQE_BUFFER_SHIFT;
            recvRing.taken(bid);
        }
        try {
            if (c.state == HttpConnection.CLOSING) {
                return;
            }
            if (c.state == HttpConnection.TUNNEL) {
                handOverRecv(c, res, bid);
                return;
            }
            if (c.state == HttpConnection.LINGERING) {
                // Late bytes after our final answer: dropped unread, until EOF, a cap or the deadline.
                if (res == -Errno.ENOBUFS) {
                    close(c);
                } else if (res <= 0 || (c.lingerBytes += res) > LINGER_MAX_BYTES) {
                    close(c);
                }
                return;
            }
            if (res == -Errno.ENOBUFS) {
                // Every provided buffer is out. Re-arming now would only fail again (a storm of
                // CQEs): wait in the starved list until a buffer comes back.
                stats.recvStarved++;
                if (!c.starved) {
                    c.starved = true;
                    starved.add(c.slot, c.generation);
                    LoopPressureEvent.record(LoopPressureEvent.STARVED, c.slot);
                }
                return;
            }
            if (res == -Errno.ECANCELED && cancelled) {
                // We stopped receiving for a full body window. If the worker drained it before
                // the cancel landed, the finally below arms the receive again.
                return;
            }
            if (res <= 0) {
                // EOF or reset. A client may half-close after its request and still read the answer.
                // (A request waiting for off-loop work is being answered; one deferred for a head buffer may wait long: closed.)
                if (res == 0 && (c.state == HttpConnection.RESPONDING || c.waitingFor != null)) {
                    c.closeAfterResponse = true;
                    c.peerClosed = true;
                    if (c.offload != null && c.inBody()) {
                        c.offload.failBody(-1); // the rest of the body can never come
                    }
                } else {
                    close(c);
                }
                return;
            }
            stats.bytesReceived += res;
            c.lastActive = loop.now();
            if (bid >= 0) {
                MemorySegment seg = recvRing.buffers();
                long off = recvRing.offset(bid);
                if (c.inBody()) {
                    long next = skipBody(c, seg, off, off + res);
                    if (next < 0) {
                        return;
                    }
                    res -= (int) (next - off);
                    off = next;
                    if (res == 0) {
                        return;
                    }
                }
                if (c.state == HttpConnection.RESPONDING || c.hasInput()) {
                    long scanFrom = c.inEnd;
                    if (!append(c, seg, off, res)) {
                        // More pipelined bytes than we hold for one connection: stop serving it.
                        stats.inputOverflow++;
                        if (c.state == HttpConnection.RESPONDING || c.waitingFor != null) {
                            c.closeAfterResponse = true;
                        } else {
                            respondError(c, 431);
                        }
                        return;
                    }
                    if (c.state == HttpConnection.IDLE && !c.parked()) {
                        process(c, inputPool.slab(), c.inStart, c.inEnd, scanFrom, true);
                    }
                } else {
                    process(c, seg, off, off + res, off, false);
                }
            } else {
                long scanFrom = c.inEnd;
                if (c.inBody()) {
                    // Body bytes land in the input chunk here; drop them and keep what follows.
                    long next = skipBody(c, inputPool.slab(), c.inEnd, c.inEnd + res);
                    if (next < 0) {
                        return;
                    }
                    c.inStart = next;
                    scanFrom = next;
                    c.inEnd += res;
                } else {
                    c.inEnd += res;
                }
                // Only body bytes arrived: nothing to parse (an empty parse would anchor the
                // parser at an offset that compaction then moves away from).
                if (c.state == HttpConnection.IDLE && !c.parked() && c.hasInput()) {
                    process(c, inputPool.slab(), c.inStart, c.inEnd, scanFrom, true);
                }
            }
        } finally {
            if (bid >= 0) {
                recvRing.recycle(bid);
                if (!starved.isEmpty()) {
                    rearmStarved();
                }
            }
            if (c.state == HttpConnection.CLOSING) {
                finishClose(c);
            } else if ((c.state == HttpConnection.IDLE || c.state == HttpConnection.LINGERING) && !c.recvArmed) {
                armRecv(c);
            } else if (c.offload != null && c.inBody()) {
                if (c.recvPaused) {
                    pauseRecv(c);
                } else if (!c.recvArmed) {
                    armRecv(c); // single-shot receives: the worker wants more of the body
                }
            }
        }
    }

    /**
     * A completion of the connection's own receive after it was handed to a tunnel (the receive
     * was armed when the head completed and its cancel is in flight): bytes go to the tunnel
     * in order; once it has ended the tunnel receives from the client itself.
     */
    private void handOverRecv(HttpConnection c, int res, int bid) {
        if (res > 0) {
            MemorySegment seg = bid >= 0 ? recvRing.buffers() : inputPool.slab();
            long off = bid >= 0 ? recvRing.offset(bid) : c.inEnd;
            if (!c.tunnel.fromClient(c, seg, off, res)) {
                stats.inputOverflow++;
                close(c);
                return;
            }
        } else if (res == 0) {
            c.tunnel.clientEof(c);
        } else if (res != -Errno.ECANCELED && res != -Errno.ENOBUFS) {
            close(c);
            return;
        }
        if (!c.recvArmed) {
            releaseInputChunk(c); // without a buffer ring that receive wrote into it
            c.tunnel.handedOver(c);
        }
    }

    /** Stops a multishot receive until the offloaded body window drains (then {@link #resumeBody}). */
    private void pauseRecv(HttpConnection c) {
        if (c.recvArmed && !c.recvCancelling && features.multishotRecv() && recvRing != null && !c.starved) {
            c.recvCancelling = true;
            sq.prepCancel(ud(c, Ops.RECV), 0, UserData.pack(0, Ops.CANCEL, 0, 0));
        }
    }

    private void resumeBody(HttpConnection c) {
        if (!c.recvPaused) {
            return;
        }
        c.recvPaused = false;
        if (c.state == HttpConnection.RESPONDING && c.inBody() && !c.recvArmed) {
            armRecv(c);
        }
    }

    private void rearmStarved() {
        for (int slot; (slot = starved.take()) >= 0; ) {
            HttpConnection c = table.get(slot);
            c.starved = false;
            if (c.state != HttpConnection.FREE && c.state != HttpConnection.CLOSING && !c.recvArmed
                    && !c.recvPaused) {
                armRecv(c);
            }
        }
    }

    private boolean takeInputChunk(HttpConnection c) {
        int chunk = inputPool.acquire();
        if (chunk < 0) {
            return false;
        }
        c.inChunk = chunk;
        c.inStart = c.inEnd = inputPool.offset(chunk);
        return true;
    }

    private void releaseInputChunk(HttpConnection c) {
        if (c.inChunk >= 0) {
            inputPool.release(c.inChunk);
            c.inChunk = -1;
            c.inStart = c.inEnd = 0;
        }
    }

    /** Moves unconsumed input to the start of its chunk, telling the parser if it is mid-head. */
    private void compact(HttpConnection c) {
        long base = inputPool.offset(c.inChunk);
        if (c.inStart == base) {
            return;
        }
        long len = c.inEnd - c.inStart;
        MemorySegment.copy(inputPool.slab(), c.inStart, inputPool.slab(), base, len);
        if (c.state == HttpConnection.IDLE && len > 0 && c.parser != null) {
            c.parser.relocate(base - c.inStart);
        }
        c.inStart = base;
        c.inEnd = base + len;
    }

    private boolean append(HttpConnection c, MemorySegment seg, long off, int len) {
        if (c.inChunk < 0 && !takeInputChunk(c)) {
            return false;
        }
        long end = inputPool.offset(c.inChunk) + inputPool.chunkSize();
        if (c.inEnd + len > end) {
            compact(c);
            if (c.inEnd + len > end) {
                return false;
            }
        }
        MemorySegment.copy(seg, off, inputPool.slab(), c.inEnd, len);
        c.inEnd += len;
        return true;
    }

    // ---- parse and dispatch ----------------------------------------------------------------

    /**
     * Parses the request starting at {@code start} (new bytes from {@code scanFrom}) and, once
     * its head is complete, hands it to the handler. Bytes after the head stay for the next
     * request, answered when this response is done.
     */
    private void process(HttpConnection c, MemorySegment seg, long start, long end, long scanFrom, boolean inChunk) {
        if (c.parser == null) {
            c.parser = parsers.acquire();
        }
        int r = c.parser.parse(seg, scanFrom, end);
        if (r == HttpRequestParser.NEED_MORE) {
            if (!inChunk) {
                if (!append(c, seg, start, (int) (end - start))) {
                    stats.poolExhausted++;
                    close(c);
                    return;
                }
                c.parser.relocate(c.inStart - start);
            }
            if (c.headStarted == 0) {
                c.headStarted = loop.now();
            }
            return;
        }
        if (r == HttpRequestParser.ERROR) {
            stats.parseErrors++;
            respondError(c, c.parser.errorStatus());
            return;
        }
        if (headPool.inUse() == headPool.capacity()) {
            defer(c, seg, start, end, inChunk);
            return;
        }
        c.headStarted = 0;
        long headEnd = c.parser.headEnd();
        HttpRequestParser p = c.parser;
        c.http10 = p.version() == HttpVersion.HTTP_1_0;
        c.keepAliveAsked = p.keepAliveAsked();
        boolean hasBody = p.contentLength() > 0 || p.chunked();
        c.requests++;
        if (hasBody) {
            if (p.contentLength() > config.limits().maxBodyBytes() && config.limits().maxBodyBytes() >= 0) {
                respondError(c, 413);
                return;
            }
            if (p.chunked()) {
                c.chunks = decoders.acquire();
            } else {
                c.bodyLeft = p.contentLength();
            }
        }
        if (!p.keepAlive() || !accepting
                || (config.maxKeepAliveRequests() > 0 && c.requests >= config.maxKeepAliveRequests())) {
            c.closeAfterResponse = true;
        } else if (hasBody && p.expectContinue()) {
            // Answered on the loop, the client waits for a 100 before sending a body we do not
            // want: answer without it and close, as RFC 9110 §10.1.1 allows. A worker that takes
            // the exchange sends the 100 itself (offload() lifts this).
            c.closeAfterResponse = true;
            c.closeForExpect = true;
        }
        c.state = HttpConnection.RESPONDING;
        stats.requests++;
        if (c.request == null && RequestEvent.on()) {
            beginRequestEvent(c, seg, p, RequestEvent.STATIC);
        }
        exchange.bind(c, seg, end);
        // A body the client holds back for the 100 is not wanted by the loop (see above): no 100 then.
        c.continueOwed = p.expectContinue() && !hasBody;
        try {
            handler.handle(exchange);
        } catch (RuntimeException | LinkageError e) {
            // A handler's bug costs its connection, never the loop and its other connections.
            connectionFailed(c, e);
        }
        c.continueOwed = false;
        exchange.unbind();
        if (c.waitingFor != null && c.state == HttpConnection.RESPONDING) {
            park(c, seg, start, end, inChunk);
            return;
        }
        if (c.state == HttpConnection.CLOSING) {
            return;
        }
        if (c.state == HttpConnection.TUNNEL) {
            releaseParser(c); // the tunnel took every byte from the head on
            return;
        }
        if (hasBody && p.expectContinue() && c.offload == null) {
            c.closeAfterResponse = true; // no 100 was sent: the body will not come
            c.bodyLeft = 0;
            releaseDecoder(c);
        }
        c.closeForExpect = false;
        // The body is read and dropped as it arrives (or was, in part, handed to a worker at
        // offload); what follows it is the next request.
        long bodyFrom = c.bodyFedTo >= 0 ? c.bodyFedTo : headEnd;
        c.bodyFedTo = -1;
        long next = c.inBody() ? skipBody(c, seg, bodyFrom, end) : bodyFrom;
        if (next < 0) {
            return; // malformed chunked framing: already answered or marked for closing
        }
        if (!c.closeAfterResponse && next < end) {
            if (inChunk) {
                c.inStart = next;
            } else if (!append(c, seg, next, (int) (end - next))) {
                c.closeAfterResponse = true;
            }
        } else if (inChunk) {
            c.inStart = c.inEnd;
        }
        if (!c.hasInput() && recvRing != null) {
            releaseInputChunk(c);
        }
    }

    /**
     * Drops request-body bytes in [from, to) of {@code seg}; returns where the body ended, or
     * {@code to} if it goes on, or -1 if its chunked framing is broken (then the connection is
     * answered with the decoder's status, or closed after the answer already under way).
     */
    private long skipBody(HttpConnection c, MemorySegment seg, long from, long to) {
        OffloadedExchange x = c.offload;
        if (c.chunks == null) {
            long n = Math.min(c.bodyLeft, to - from);
            c.bodyLeft -= n;
            if (x == null) {
                stats.bodyBytesDropped += n;
            } else if (n > 0) {
                c.recvPaused |= x.offerBody(seg, from, from + n);
                if (c.bodyLeft == 0) {
                    x.endBody();
                }
            }
            return from + n;
        }
        ChunkedDecoder d = c.chunks;
        long pos = from;
        while (true) {
            int r = d.decode(seg, pos, to);
            if (r == ChunkedDecoder.DATA) {
                if (x == null) {
                    stats.bodyBytesDropped += d.dataEnd() - d.dataStart();
                } else if (d.dataEnd() > d.dataStart()) {
                    c.recvPaused |= x.offerBody(seg, d.dataStart(), d.dataEnd());
                }
                pos = d.consumedTo();
            } else if (r == ChunkedDecoder.NEED_MORE) {
                return to;
            } else if (r == ChunkedDecoder.DONE) {
                long next = d.consumedTo();
                releaseDecoder(c);
                if (x != null) {
                    x.endBody();
                }
                return next;
            } else {
                int status = d.errorStatus();
                releaseDecoder(c);
                stats.parseErrors++;
                if (x != null && x.failBodyBeforeAnswer(c, status)) {
                    return -1; // the loop answers for the worker, which had not begun (answerInstead)
                }
                if (c.state == HttpConnection.RESPONDING) {
                    // The answer under way goes out; nothing after the bad bytes is read as a request.
                    c.closeAfterResponse = true;
                    c.inStart = c.inEnd;
                } else {
                    respondError(c, status);
                }
                return -1;
            }
        }
    }

    private void releaseDecoder(HttpConnection c) {
        if (c.chunks != null) {
            decoders.release(c.chunks);
            c.chunks = null;
        }
    }

    /** Keeps the whole request as input and parses it again once a head buffer is free. */
    private void defer(HttpConnection c, MemorySegment seg, long start, long end, boolean inChunk) {
        if (!keepRequest(c, seg, start, end, inChunk)) {
            return;
        }
        c.waitingForHead = true;
        stats.deferred++;
        deferred.add(c.slot, c.generation);
        LoopPressureEvent.record(LoopPressureEvent.DEFERRED, c.slot);
    }

    /** Keeps the bytes of the request at [start, end) as the connection's input, to be parsed again; false if closed. */
    private boolean keepRequest(HttpConnection c, MemorySegment seg, long start, long end, boolean inChunk) {
        if (!inChunk && !append(c, seg, start, (int) (end - start))) {
            stats.poolExhausted++;
            close(c);
            return false;
        }
        if (inChunk) {
            c.inStart = start;
        }
        releaseParser(c);
        c.headStarted = 0;
        return true;
    }

    // ---- requests waiting for off-loop work ----------------------------------------------------

    /** The handler asked to wait for {@code work}: it starts unless it already has. */
    private void await(HttpConnection c, OffLoopWork work) {
        if (c.waitingFor != null || c.state != HttpConnection.RESPONDING) {
            throw new IllegalStateException("a request waits for one piece of work, once, instead of answering");
        }
        c.waitingFor = work;
        work.addWaiter(c.slot, c.generation);
        stats.offLoopWaits++;
        if (!work.started()) {
            work.markStarted();
            stats.offLoopWork++;
            if (OffLoopWorkEvent.on()) {
                OffLoopWorkEvent e = new OffLoopWorkEvent();
                e.begin();
                work.event = e;
            }
            fileThreads.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(System.Logger.Level.WARNING, "off-loop work failed: " + work, e);
                } finally {
                    loop.execute(() -> workDone(work));
                }
            });
        }
    }

    /**
     * The handler answered nothing but waits ({@link #await}): the request is as if not yet
     * parsed, its bytes kept as input until the work is done.
     */
    private void park(HttpConnection c, MemorySegment seg, long start, long end, boolean inChunk) {
        c.requests--;
        stats.requests--;
        c.state = HttpConnection.IDLE;
        c.closeAfterResponse = false;
        c.closeForExpect = false;
        c.bodyLeft = 0;
        releaseDecoder(c);
        if (!keepRequest(c, seg, start, end, inChunk)) {
            c.waitingFor = null;
        }
    }

    /** On the loop: {@code work} has run; its result is published and each request still waiting is handled again. */
    private void workDone(OffLoopWork work) {
        if (work.event != null) {
            OffLoopWorkEvent e = work.event;
            work.event = null;
            e.end();
            if (e.shouldCommit()) {
                e.work = work.toString();
                e.waiters = work.waiters();
                e.commit();
            }
        }
        try {
            work.publish();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "publishing off-loop work failed: " + work, e);
        }
        for (int i = 0; i < work.waiters(); i++) {
            int slot = work.waiterSlot(i);
            if (!table.current(slot, work.waiterGeneration(i)) || table.get(slot).waitingFor != work) {
                continue; // closed while it waited
            }
            HttpConnection c = table.get(slot);
            c.waitingFor = null;
            try {
                process(c, inputPool.slab(), c.inStart, c.inEnd, c.inStart, true);
                if (c.state == HttpConnection.IDLE && !c.recvArmed) {
                    armRecv(c);
                }
            } catch (RuntimeException | LinkageError e) {
                connectionFailed(c, e);
            }
        }
        work.retired();
        if (!deferred.isEmpty()) {
            resumeDeferred();
        }
    }

    private void resumeDeferred() {
        for (int slot; headPool.inUse() < headPool.capacity() && (slot = deferred.take()) >= 0; ) {
            HttpConnection c = table.get(slot);
            c.waitingForHead = false;
            process(c, inputPool.slab(), c.inStart, c.inEnd, c.inStart, true);
            if (c.state == HttpConnection.IDLE && !c.recvArmed) {
                armRecv(c);
            }
        }
    }

    private void responseDone(HttpConnection c) {
        sender.release(c);
        if (c.request != null) {
            endRequestEvent(c, true);
        }
        if (c.closeAfterResponse) {
            if (c.peerClosed) {
                close(c);
            } else {
                linger(c);
            }
            return;
        }
        c.state = HttpConnection.IDLE;
        c.lastActive = loop.now();
        releaseParser(c);
        if (c.hasInput()) {
            process(c, inputPool.slab(), c.inStart, c.inEnd, c.inStart, true);
        } else if (recvRing != null) {
            releaseInputChunk(c);
        }
        if (c.state == HttpConnection.IDLE && !c.recvArmed) {
            armRecv(c);
        }
    }

    private void releaseParser(HttpConnection c) {
        if (c.parser != null) {
            parsers.release(c.parser);
            c.parser = null;
        }
    }

    /** Implemented by handlers that reference-count the files they answer from. */
    public interface FileReleaser {
        void release(CachedFile file);
    }

    // ---- errors ----------------------------------------------------------------------------

    /** Answers a bad request and closes: nothing after a malformed head is ever read. */
    /** A recording wants requests: this one's event begins (allocates; only then). */
    private void beginRequestEvent(HttpConnection c, MemorySegment seg, HttpRequestParser p, String route) {
        RequestEvent e = new RequestEvent();
        e.begin();
        e.route = route;
        if (p != null && p.pathEnd() > p.pathStart()) {
            e.method = p.method().name();
            e.path = new String(seg.asSlice(p.pathStart(), p.pathEnd() - p.pathStart()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        c.request = e;
    }

    /** The request's answer is out ({@code completed}) or its connection ended first. */
    private static void endRequestEvent(HttpConnection c, boolean completed) {
        RequestEvent e = c.request;
        c.request = null;
        e.end();
        if (e.shouldCommit()) {
            e.completed = completed;
            e.commit();
        }
    }

    private void respondError(HttpConnection c, int status) {
        if (c.request != null) {
            c.request.route = RequestEvent.REJECTED; // the loop's answer instead of the handler's
        } else if (RequestEvent.on()) {
            beginRequestEvent(c, null, null, RequestEvent.REJECTED);
        }
        c.state = HttpConnection.RESPONDING;
        c.closeAfterResponse = true;
        releaseInputChunkIfIdle(c);
        releaseParser(c); // nothing on this connection is parsed again
        sender.respondStatus(c, status, null, true);
    }

    private void releaseInputChunkIfIdle(HttpConnection c) {
        c.inStart = c.inEnd;
        if (recvRing != null && !c.recvArmed) {
            releaseInputChunk(c);
        }
    }

    // ---- close -----------------------------------------------------------------------------

    /**
     * Closes gracefully after a final response: shut our side for writing (the client sees EOF
     * after the last byte of the answer) and keep reading and dropping what the client still
     * sends. Closing at once with unread bytes in the socket would make the kernel send RST,
     * and an RST can destroy the answer before the client has read it.
     */
    private void linger(HttpConnection c) {
        c.state = HttpConnection.LINGERING;
        c.lingerUntil = loop.now() + LINGER_NANOS;
        c.lingerBytes = 0;
        c.inStart = c.inEnd;
        if (recvRing != null) {
            releaseInputChunk(c);
        }
        sq.prepShutdown(c.fd, SHUT_WR, ud(c, Ops.SHUTDOWN));
        c.ops++;
        if (!c.recvArmed) {
            armRecv(c);
        }
    }

    private void onShutdown(HttpConnection c, int res) {
        c.ops--;
        if (c.state == HttpConnection.CLOSING) {
            finishClose(c);
        } else if (res < 0) {
            close(c);
        }
    }

    private void close(HttpConnection c) {
        if (c.state == HttpConnection.CLOSING || c.state == HttpConnection.FREE) {
            return;
        }
        boolean tunnelEnds = c.state == HttpConnection.TUNNEL;
        c.state = HttpConnection.CLOSING;
        if (c.request != null) {
            endRequestEvent(c, tunnelEnds); // a tunnel ends with its connection; an answer cut short does not complete
        }
        if (c.offload != null) {
            c.offload.connectionLost();
        }
        if (c.tunnel != null) {
            c.tunnel.cancel(c);
        }
        if (c.ops > 0) {
            sq.prepCancelFd(c.fd, ud(c, Ops.CANCEL));
        }
        finishClose(c);
    }

    /** Frees the slot once the kernel holds nothing of it any more. */
    private void finishClose(HttpConnection c) {
        if (c.state != HttpConnection.CLOSING || c.ops > 0) {
            return;
        }
        sender.release(c);
        if (c.offload != null) {
            OffloadedExchange x = c.offload;
            c.offload = null;
            x.detach();
        }
        connectionClosed(c);
        releaseTunnel(c);
        releaseInputChunk(c);
        releaseParser(c);
        releaseDecoder(c);
        sq.prepCloseQuiet(c.fd, UserData.pack(0, Ops.CLOSE, 0, 0));
        c.fd = -1;
        c.state = HttpConnection.FREE;
        table.release(c.slot);
        stats.closed++;
    }

    // ---- loop callbacks --------------------------------------------------------------------

    @Override
    public void complete(long userData, int res, int flags) {
        int op = UserData.op(userData);
        if (op == Ops.ACCEPT) {
            onAccept(res, flags);
            return;
        }
        if (op == Ops.CLOSE || op == Ops.CANCEL) {
            return;
        }
        int slot = UserData.slot(userData);
        if (!table.current(slot, UserData.generation(userData))) {
            // Stale: the slot was freed and reused. Only a buffer it carries needs returning.
            if ((flags & IORING_CQE_F_BUFFER) != 0 && recvRing != null) {
                int bid = flags >>> IORING_CQE_BUFFER_SHIFT;
                recvRing.taken(bid);
                recvRing.recycle(bid);
            }
            stats.staleCompletions++;
            return;
        }
        HttpConnection c = table.get(slot);
        try {
            completeFor(c, op, userData, res, flags);
        } catch (RuntimeException | LinkageError e) {
            // A bug in a handler's callback (a worker's readiness listener) or in ours costs this
            // connection, never the loop and every connection the kernel keeps handing it.
            connectionFailed(c, e);
        }
        if (!deferred.isEmpty()) {
            resumeDeferred();
        }
    }

    private void completeFor(HttpConnection c, int op, long userData, int res, int flags) {
        switch (op) {
            case Ops.RECV -> onRecv(c, res, flags);
            case Ops.SEND -> {
                c.sendPostedAt = 0;
                if (c.offload != null) {
                    offloadSent(c, res);
                } else {
                    sender.onSend(c, res);
                }
            }
            case Ops.SPLICE_IN -> sender.onSpliceIn(c, res);
            case Ops.SPLICE_OUT -> {
                c.sendPostedAt = 0;
                sender.onSpliceOut(c, res);
            }
            case Ops.READ_BODY -> sender.onReadBody(c, res);
            case Ops.SHUTDOWN -> onShutdown(c, res);
            case Ops.TUNNEL_SOCKET, Ops.TUNNEL_CONNECT, Ops.TUNNEL_RECV, Ops.TUNNEL_SEND, Ops.TUNNEL_SHUTDOWN ->
                    c.tunnel.complete(c, op, UserData.data(userData), res);
            default -> LOG.log(System.Logger.Level.WARNING, "unknown op " + op);
        }
    }

    @Override
    public void tick(long now) {
        try {
            handler.tick();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "request handler's tick failed", e);
        }
        if (acceptBackoff && accepting) {
            acceptBackoff = false;
            if (!acceptArmed) {
                armAccept();
            }
        }
        if (!starved.isEmpty() && recvRing != null && recvRing.outstanding() < recvRing.entries()) {
            rearmStarved();
        }
        long idle = config.keepAliveTimeout().toNanos();
        long head = config.headerTimeout().toNanos();
        long send = config.sendTimeout().toNanos();
        for (int i = 0; i < table.capacity(); i++) {
            HttpConnection c = table.get(i);
            if (c.state == HttpConnection.RESPONDING && c.sendPostedAt != 0 && now - c.sendPostedAt > send) {
                // The client has taken no byte of the answer for that long: what it holds (a slot, a
                // pipe, a file, a worker's halves) goes back, as the container would drop it.
                stats.sendTimeouts++;
                close(c);
                continue;
            }
            if (c.state == HttpConnection.LINGERING && now > c.lingerUntil) {
                close(c);
                continue;
            }
            if (c.state == HttpConnection.TUNNEL) {
                c.tunnel.tick(c, now); // only its connect has a deadline: a tunnel may idle for good
                continue;
            }
            if (c.state != HttpConnection.IDLE) {
                continue;
            }
            if (c.headStarted != 0 && now - c.headStarted > head) {
                stats.headerTimeouts++;
                respondError(c, 408);
            } else if (c.headStarted == 0 && !c.hasInput() && now - c.lastActive > idle) {
                stats.idleTimeouts++;
                close(c);
            }
        }
    }

    @Override
    public void beginShutdown() {
        accepting = false;
        if (acceptArmed) {
            sq.prepCancel(UserData.pack(0, Ops.ACCEPT, 0, 0), 0, UserData.pack(0, Ops.CANCEL, 0, 0));
        }
        for (int i = 0; i < table.capacity(); i++) {
            HttpConnection c = table.get(i);
            // A tunnel never ends by itself: waiting for it would only spend the grace period.
            if ((c.state == HttpConnection.IDLE && c.headStarted == 0 && c.waitingFor == null)
                    || c.state == HttpConnection.LINGERING
                    || c.state == HttpConnection.TUNNEL) {
                close(c);
            } else if (c.state == HttpConnection.RESPONDING) {
                c.closeAfterResponse = true;
            }
        }
    }

    @Override
    public boolean quiescent() {
        return !acceptArmed && table.inUse() == 0;
    }

    @Override
    public void abort() {
        for (int i = 0; i < table.capacity(); i++) {
            close(table.get(i));
        }
    }

    @Override
    public void close() {
        handler.close();
        if (listener != null) listener.close();
        if (pipes != null) pipes.close();
        if (recvRing != null) recvRing.close();
        if (arena != null) arena.close();
    }

    /** Tells the handler's attachment, if any, that its connection is gone. */
    private void connectionClosed(HttpConnection c) {
        ConnectionAttachment a = c.attachment;
        if (a == null) {
            return;
        }
        c.attachment = null;
        try {
            a.connectionClosed();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "a connection attachment failed as its connection closed", e);
        }
    }

    /**
     * A handler's, a callback's or our own exception: that connection is closed (its exchange
     * aborted), the failure counted, and each kind of failure logged once per loop, so a bug hit
     * by every request does not flood the log.
     */
    private void connectionFailed(HttpConnection c, Throwable e) {
        stats.handlerFailures++;
        if (failureKindsLogged.add(e.getClass().getName())) {
            LOG.log(System.Logger.Level.WARNING, "a request failed on this loop; its connection is closed"
                    + " (the first of its kind: later ones are counted in handlerFailures only)", e);
        }
        try {
            if (c.offload != null) {
                c.offload.abort(); // nobody else will finish it
            }
            close(c);
        } catch (RuntimeException | LinkageError again) {
            LOG.log(System.Logger.Level.ERROR, "closing a failed connection failed too", again);
        }
    }

    // ---- offloaded exchanges -----------------------------------------------------------------

    private void offloadSent(HttpConnection c, int res) {
        c.ops--;
        if (c.state == HttpConnection.CLOSING) {
            finishClose(c);
            return;
        }
        if (res > 0) {
            stats.bytesSent += res;
            if (c.request != null) {
                c.request.bytes += res;
            }
        }
        c.offload.onSend(c, res);
    }

    private OffloadedExchange offload(HttpConnection c, MemorySegment seg, long end) {
        if (!c.addressesKnown) {
            lookUpAddresses(c);
        }
        if (c.closeForExpect) {
            c.closeAfterResponse = false; // the worker answers the expectation
            c.closeForExpect = false;
        }
        OffloadedExchange x = offloads.acquire();
        c.offload = x;
        x.bind(c, seg, c.parser, System.nanoTime());
        stats.offloaded++;
        if (c.request != null) {
            c.request.route = RequestEvent.OFFLOADED;
        }
        if (c.bodyLeft > 0 && c.chunks == null) {
            // A Content-Length body that came with the head is the exchange's before its worker
            // starts, as it is in a container's own read buffer: an app (or Jetty's completion)
            // that consumes what is available finds it there, whichever thread runs first.
            c.bodyFedTo = skipBody(c, seg, c.parser.headEnd(), end);
        }
        return x;
    }

    private void lookUpAddresses(HttpConnection c) {
        c.addressesKnown = true;
        if (Libc.getpeername(c.fd, addressScratch) == 0) {
            java.net.InetSocketAddress a = dev.ringside.uring.sys.SocketAddresses.decode(addressScratch);
            c.remoteAddr = a.getAddress().getHostAddress();
            c.remotePort = a.getPort();
        }
        if (Libc.getsockname(c.fd, addressScratch) == 0) {
            java.net.InetSocketAddress a = dev.ringside.uring.sys.SocketAddresses.decode(addressScratch);
            c.localAddr = a.getAddress().getHostAddress();
            c.localPort = a.getPort();
        }
    }

    // ---- tunnels ----------------------------------------------------------------------------

    private void tunnel(HttpConnection c, MemorySegment seg, long end, java.net.InetSocketAddress backend) {
        if (c.request != null) {
            c.request.route = RequestEvent.TUNNELLED;
        }
        Tunnel t = tunnels.acquire();
        int status = t.start(c, backend, seg, c.parser.requestStart(), end, c.recvArmed,
                loop.now() + config.headerTimeout().toNanos());
        if (status != 0) {
            tunnels.release(t);
            sender.respondStatus(c, status, null, true);
            return;
        }
        c.tunnel = t;
        c.state = HttpConnection.TUNNEL;
        // Every byte from the head on is the tunnel's now: nothing is parsed or skipped as a body.
        c.bodyLeft = 0;
        releaseDecoder(c);
        c.closeAfterResponse = false;
        c.closeForExpect = false;
        c.inStart = c.inEnd;
        c.starved = false; // a stale entry in the starved list is skipped
        if (c.recvArmed) {
            // A multishot receive: stop it; what it still delivers goes to the tunnel (handOverRecv).
            if (!c.recvCancelling) {
                c.recvCancelling = true;
                sq.prepCancel(ud(c, Ops.RECV), 0, UserData.pack(0, Ops.CANCEL, 0, 0));
            }
        } else {
            releaseInputChunk(c);
        }
    }

    private void releaseTunnel(HttpConnection c) {
        if (c.tunnel != null) {
            Tunnel t = c.tunnel;
            c.tunnel = null;
            t.release();
            tunnels.release(t);
        }
    }

    /** What an offloaded exchange asks of its connection, on the loop. */
    private final class OffloadCallbacks implements OffloadedExchange.Connection {
        @Override
        public void failed(HttpConnection c, Throwable e) {
            connectionFailed(c, e);
        }

        @Override
        public void send(HttpConnection c, long address, int length) {
            if (c.state == HttpConnection.CLOSING) {
                return;
            }
            sq.prepSend(c.fd, address, length, MSG_NOSIGNAL, ud(c, Ops.SEND));
            c.ops++;
            c.sendPostedAt = loop.now();
            stats.sends++;
        }

        @Override
        public void resumeBody(HttpConnection c) {
            HttpServerDriver.this.resumeBody(c);
        }

        @Override
        public void done(HttpConnection c, boolean close) {
            OffloadedExchange x = c.offload;
            c.offload = null;
            x.detach();
            c.recvPaused = false;
            if (close || c.inBody()) {
                // An unread rest of the body is not drained for keep-alive: the lingering close
                // reads and drops a bounded amount of it so the answer is not lost to an RST.
                c.closeAfterResponse = true;
            }
            responseDone(c);
        }

        @Override
        public void abort(HttpConnection c) {
            HttpServerDriver.this.close(c);
        }

        @Override
        public void answerInstead(HttpConnection c, int status) {
            OffloadedExchange x = c.offload;
            c.offload = null;
            x.connectionLost();
            x.detach();
            c.recvPaused = false;
            respondError(c, status);
        }

        @Override
        public void recycle(OffloadedExchange x) {
            offloads.release(x);
        }
    }

    /** The connection operations the response sender and tunnels may ask for. */
    private final class Callbacks implements ResponseSender.Connections, Tunnel.Connections {
        @Override
        public void close(HttpConnection c) {
            HttpServerDriver.this.close(c);
        }

        @Override
        public void finishClose(HttpConnection c) {
            HttpServerDriver.this.finishClose(c);
        }

        @Override
        public void responseDone(HttpConnection c) {
            HttpServerDriver.this.responseDone(c);
        }

        @Override
        public long userData(HttpConnection c, int op) {
            return ud(c, op);
        }

        @Override
        public long userData(HttpConnection c, int op, int data) {
            return UserData.pack(c.slot, op, data, c.generation);
        }

        @Override
        public void failed(HttpConnection c, int status) {
            releaseTunnel(c);
            c.state = HttpConnection.RESPONDING;
            sender.respondStatus(c, status, null, true);
        }
    }

    /** The exchange handed to the handler: a view of the connection being served. */
    private final class Exchange implements HttpExchange {
        private HttpConnection c;
        private MemorySegment seg;
        /** Where the bytes received so far end in {@link #seg}. */
        private long end;

        void bind(HttpConnection c, MemorySegment seg, long end) {
            this.c = c;
            this.seg = seg;
            this.end = end;
        }

        void unbind() {
            this.c = null;
            this.seg = null;
        }

        @Override
        public MemorySegment segment() {
            return seg;
        }

        @Override
        public HttpRequestParser request() {
            return c.parser;
        }

        @Override
        public long nowNanos() {
            return loop.now();
        }

        @Override
        public long nowMillis() {
            return loop.nowMillis();
        }

        @Override
        public void respondFile(CachedFile file, boolean headOnly) {
            sender.respondFile(c, file, 200, null, 0, file.size(), headOnly);
        }

        @Override
        public void respondFile(CachedFile file, int status, byte[] extraHeaderLines, long offset, long length,
                                boolean headOnly) {
            sender.respondFile(c, file, status, extraHeaderLines, offset, length, headOnly);
        }

        @Override
        public void respondStatus(int status, byte[] extraHeaderLines, boolean close) {
            sender.respondStatus(c, status, extraHeaderLines, close);
        }

        @Override
        public OffloadedExchange offload() {
            return HttpServerDriver.this.offload(c, seg, end);
        }

        @Override
        public void tunnel(java.net.InetSocketAddress backend) {
            HttpServerDriver.this.tunnel(c, seg, end, backend);
        }

        @Override
        public void await(OffLoopWork work) {
            HttpServerDriver.this.await(c, work);
        }

        @Override
        public ConnectionAttachment attachment() {
            return c.attachment;
        }

        @Override
        public void attach(ConnectionAttachment attachment) {
            c.attachment = attachment;
            if (c.offload != null) {
                c.offload.attached(attachment);
            }
        }

        @Override
        public long connectionOpenedMillis() {
            return c.openedMillis;
        }
    }
}
