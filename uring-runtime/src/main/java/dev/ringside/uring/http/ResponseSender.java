package dev.ringside.uring.http;

import dev.ringside.uring.buffer.BufferPool;
import dev.ringside.uring.files.CachedFile;
import dev.ringside.uring.files.PipePool;
import dev.ringside.uring.loop.EventLoop;
import dev.ringside.uring.ring.SubmissionQueue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.ringside.uring.sys.IoUringConstants.*;
import static dev.ringside.uring.sys.LinuxConstants.*;

/**
 * Sends responses on one loop: renders the head into a head chunk, then moves the body as the
 * file allows: from memory in the same {@code sendmsg} (two iovecs), or file → pipe → socket
 * with splice, or read into a buffer and sent. Partial sends resume where they stopped. It
 * owns no connection state of its own; the driver decides when a connection closes.
 */
final class ResponseSender {
    /** What the sender needs from the driver that owns the connections. */
    interface Connections {
        void close(HttpConnection c);

        void finishClose(HttpConnection c);

        void responseDone(HttpConnection c);

        long userData(HttpConnection c, int op);
    }

    /** Response heads go in the first part of a head chunk; its tail holds the msghdr and iovecs. */
    static final int HEAD_CHUNK_SIZE = 2048;
    private static final long MSGHDR = HEAD_CHUNK_SIZE - 128;
    private static final long IOV = HEAD_CHUNK_SIZE - 64;
    private static final int HEAD_MAX = (int) MSGHDR;

    private final Connections conns;
    private final EventLoop loop;
    private final SubmissionQueue sq;
    private final BufferPool headPool;
    private final BufferPool inputPool;
    private final PipePool pipes;
    private final int pipeSize;
    private final RequestHandler handler;
    private final HttpServerStats stats;
    private final ResponseHeadWriter head = new ResponseHeadWriter();
    private final ResponseStyle style;
    private final MemorySegment statxScratch = java.lang.foreign.Arena.ofAuto().allocate(STATX_SIZE_BYTES, 8);
    private final MemorySegment emptyPath = java.lang.foreign.Arena.ofAuto().allocateFrom("");

    ResponseSender(Connections conns, EventLoop loop, BufferPool headPool, BufferPool inputPool, PipePool pipes,
                   int pipeSize, RequestHandler handler, HttpServerStats stats, String serverHeader,
                   ResponseStyle style) {
        this.style = style;
        this.serverName = serverHeader == null ? null : serverHeader.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        this.conns = conns;
        this.loop = loop;
        this.sq = loop.ring().sq();
        this.headPool = headPool;
        this.inputPool = inputPool;
        this.pipes = pipes;
        this.pipeSize = pipeSize;
        this.handler = handler;
        this.stats = stats;
    }

    /** Returns everything the response in flight held: head chunk, file, pipe, read buffer. */
    void release(HttpConnection c) {
        if (c.headChunk >= 0) {
            headPool.release(c.headChunk);
            c.headChunk = -1;
        }
        if (c.file != null) {
            handlerRelease(c.file);
            c.file = null;
        }
        if (c.pipe >= 0) {
            if (c.pipeFill > 0) {
                pipes.discard(c.pipe);
            } else {
                pipes.release(c.pipe);
            }
            c.pipe = -1;
            c.pipeFill = 0;
        }
        if (c.readChunk >= 0) {
            inputPool.release(c.readChunk);
            c.readChunk = -1;
        }
        c.phase = 0;
    }

    private void handlerRelease(CachedFile f) {
        if (handler instanceof HttpServerDriver.FileReleaser r) {
            r.release(f);
        }
    }


    /** The Server field's value, or null for no field. */
    private final byte[] serverName;
    private static final byte[] CLOSE = {'c', 'l', 'o', 's', 'e'};
    private static final byte[] KEEP_ALIVE = {'k', 'e', 'e', 'p', '-', 'a', 'l', 'i', 'v', 'e'};

    /**
     * Takes a head chunk and writes an interim 100 if one is owed, the status line and (unless the
     * style puts them last) Server and Date; -1 if no chunk is free.
     */
    private long startHead(HttpConnection c, int status) {
        int chunk = headPool.acquire();
        if (chunk < 0) {
            stats.poolExhausted++;
            return -1;
        }
        c.headChunk = chunk;
        MemorySegment s = headPool.slab();
        long p = headPool.offset(chunk);
        long limit = p + HEAD_MAX;
        if (c.continueOwed) {
            c.continueOwed = false;
            if (style.continueBeforeAnswers) {
                p = head.lines(s, p, limit, style.continueLine);
            }
        }
        p = head.statusLine(s, p, limit, status, style.reasonPhrases);
        return style.dateAndServerLast ? p : serverAndDate(s, p, limit);
    }

    private long serverAndDate(MemorySegment s, long p, long limit) {
        if (serverName != null) {
            p = head.header(s, p, limit, ResponseHeader.SERVER, serverName);
        }
        return style.date ? head.date(s, p, limit, loop.nowMillis()) : p;
    }

    private long headLimit(HttpConnection c) {
        return headPool.offset(c.headChunk) + HEAD_MAX;
    }

    /** Date (where the style puts it last), the connection's fields, Server last if so, and the empty line. */
    private long endHead(HttpConnection c, long p) {
        MemorySegment s = headPool.slab();
        long limit = headLimit(c);
        if (style.dateAndServerLast && style.date) {
            p = head.date(s, p, limit, loop.nowMillis());
        }
        if (c.closeAfterResponse) {
            if (!c.http10 || style.closeHttp10) {
                p = head.header(s, p, limit, ResponseHeader.CONNECTION, CLOSE);
            }
        } else {
            if (c.http10) {
                p = head.header(s, p, limit, ResponseHeader.CONNECTION, KEEP_ALIVE);
            }
            if (style.keepAliveTimeout != null && c.keepAliveAsked) {
                p = head.lines(s, p, limit, style.keepAliveTimeout);
                if (!c.http10) {
                    p = head.header(s, p, limit, ResponseHeader.CONNECTION, KEEP_ALIVE);
                }
            }
        }
        if (style.dateAndServerLast && serverName != null) {
            p = head.header(s, p, limit, ResponseHeader.SERVER, serverName);
        }
        return head.end(s, p, limit);
    }

    /**
     * A file's bytes [offset, offset + length) with {@code status} (200, or 206 for a range):
     * the file's own header lines, the caller's extra lines (Content-Range, Vary, ...), then
     * Content-Length. The body comes from memory if the cache holds it, else by splice.
     */
    void respondFile(HttpConnection c, CachedFile f, int status, byte[] extraHeaderLines, long offset,
                             long length, boolean headOnly) {
        if (c.request != null) {
            c.request.status = status;
        }
        long p = startHead(c, status);
        if (p < 0) {
            conns.close(c);
            return;
        }
        MemorySegment s = headPool.slab();
        long limit = headLimit(c);
        p = head.lines(s, p, limit, f.headerLines());
        if (extraHeaderLines != null) {
            p = head.lines(s, p, limit, extraHeaderLines);
        }
        if (f.trailingLines().length > 0) {
            p = head.lines(s, p, limit, f.trailingLines());
        }
        p = head.header(s, p, limit, ResponseHeader.CONTENT_LENGTH, length);
        p = endHead(c, p);
        if (p < 0) {
            // Header lines longer than a head chunk (an absurd MIME type): refuse, never overflow.
            conns.close(c);
            return;
        }
        f.retain();
        c.file = f;
        int headLen = (int) (p - headPool.offset(c.headChunk));
        stats.fileResponses++;
        if (headOnly || length == 0) {
            c.bodyRemaining = 0;
            sendMemory(c, headLen, 0L, 0);
        } else if (f.body() != null) {
            c.bodyRemaining = 0;
            sendMemory(c, headLen, f.body().address() + offset, length);
        } else {
            c.bodyOffset = offset;
            c.bodyRemaining = length;
            sendMemory(c, headLen, 0L, 0);
        }
    }

    void respondStatus(HttpConnection c, int status, byte[] extraHeaderLines, boolean close) {
        if (close) {
            c.closeAfterResponse = true;
        }
        if (c.request != null) {
            c.request.status = status;
        }
        long p = startHead(c, status);
        if (p < 0) {
            conns.close(c);
            return;
        }
        MemorySegment s = headPool.slab();
        long limit = headLimit(c);
        if (extraHeaderLines != null) {
            p = head.lines(s, p, limit, extraHeaderLines);
        }
        if (status != 304 && status >= 200) {
            p = head.header(s, p, limit, ResponseHeader.CONTENT_LENGTH, 0);
        }
        p = endHead(c, p);
        if (p < 0) {
            conns.close(c);
            return;
        }
        c.bodyRemaining = 0;
        sendMemory(c, (int) (p - headPool.offset(c.headChunk)), 0L, 0);
    }

    /**
     * Sends the head (already in the head chunk) and optionally a body from memory in one
     * sendmsg: two iovecs, no copy of the body into our buffers.
     */
    private void sendMemory(HttpConnection c, int headLen, long bodyAddress, long bodyLen) {
        MemorySegment s = headPool.slab();
        long chunk = headPool.offset(c.headChunk);
        long base = s.address() + chunk;
        s.set(ValueLayout.JAVA_LONG, chunk + IOV, base);
        s.set(ValueLayout.JAVA_LONG, chunk + IOV + 8, headLen);
        s.set(ValueLayout.JAVA_LONG, chunk + IOV + 16, bodyLen > 0 ? bodyAddress : 0L);
        s.set(ValueLayout.JAVA_LONG, chunk + IOV + 24, bodyLen);
        s.set(ValueLayout.JAVA_LONG, chunk + MSGHDR, 0L);           // msg_name
        s.set(ValueLayout.JAVA_LONG, chunk + MSGHDR + 8, 0L);       // msg_namelen (+pad)
        s.set(ValueLayout.JAVA_LONG, chunk + MSGHDR + 16, base + IOV); // msg_iov
        s.set(ValueLayout.JAVA_LONG, chunk + MSGHDR + 24, 2L);      // msg_iovlen
        s.set(ValueLayout.JAVA_LONG, chunk + MSGHDR + 32, 0L);      // msg_control
        s.set(ValueLayout.JAVA_LONG, chunk + MSGHDR + 40, 0L);      // msg_controllen
        s.set(ValueLayout.JAVA_LONG, chunk + MSGHDR + 48, 0L);      // msg_flags
        c.phase = HttpConnection.SENDING_MEMORY;
        submitSendmsg(c);
    }

    private void submitSendmsg(HttpConnection c) {
        stats.sends++;
        int flags = MSG_NOSIGNAL | (c.bodyRemaining > 0 ? MSG_MORE : 0);
        sq.prepSendmsg(c.fd, headPool.address(c.headChunk) + MSGHDR, flags, conns.userData(c, Ops.SEND));
        c.sendPostedAt = loop.now();
        c.ops++;
    }

    void onSend(HttpConnection c, int res) {
        c.ops--;
        if (c.state == HttpConnection.CLOSING) {
            conns.finishClose(c);
            return;
        }
        if (res < 0) {
            conns.close(c);
            return;
        }
        stats.bytesSent += res;
        if (c.request != null) {
            c.request.bytes += res;
        }
        MemorySegment s = headPool.slab();
        long iov = headPool.offset(c.headChunk) + IOV;
        long left0 = s.get(ValueLayout.JAVA_LONG, iov + 8);
        long left1 = s.get(ValueLayout.JAVA_LONG, iov + 24);
        long n = res;
        long step0 = Math.min(n, left0);
        s.set(ValueLayout.JAVA_LONG, iov, s.get(ValueLayout.JAVA_LONG, iov) + step0);
        s.set(ValueLayout.JAVA_LONG, iov + 8, left0 - step0);
        n -= step0;
        long step1 = Math.min(n, left1);
        s.set(ValueLayout.JAVA_LONG, iov + 16, s.get(ValueLayout.JAVA_LONG, iov + 16) + step1);
        s.set(ValueLayout.JAVA_LONG, iov + 24, left1 - step1);
        if (left0 - step0 + left1 - step1 > 0) {
            stats.partialSends++;
            submitSendmsg(c);
            return;
        }
        if (c.phase == HttpConnection.READING_FILE) {
            readFileChunk(c);
        } else if (c.bodyRemaining > 0) {
            startFileBody(c);
        } else {
            conns.responseDone(c);
        }
    }

    private void startFileBody(HttpConnection c) {
        if (pipes != null && (c.pipe = pipes.acquire()) >= 0) {
            c.phase = HttpConnection.SPLICING;
            spliceIn(c);
            return;
        }
        int chunk = inputPool.acquire();
        if (chunk < 0) {
            stats.poolExhausted++;
            conns.close(c);
            return;
        }
        c.readChunk = chunk;
        c.phase = HttpConnection.READING_FILE;
        readFileChunk(c);
    }

    private void spliceIn(HttpConnection c) {
        int len = (int) Math.min(c.bodyRemaining, pipeSize);
        sq.prepSplice(c.file.fd(), c.bodyOffset, pipes.writeEnd(c.pipe), -1, len, SPLICE_F_MOVE,
                conns.userData(c, Ops.SPLICE_IN));
        c.ops++;
    }

    void onSpliceIn(HttpConnection c, int res) {
        c.ops--;
        if (c.state == HttpConnection.CLOSING) {
            if (res > 0) c.pipeFill += res;
            conns.finishClose(c);
            return;
        }
        if (res <= 0) {
            // 0: the file shrank under us. Never pad or send a torn body: drop the connection.
            stats.fileErrors++;
            conns.close(c);
            return;
        }
        c.pipeFill += res;
        c.bodyOffset += res;
        c.bodyRemaining -= res;
        if (c.bodyRemaining == 0 && tornBody(c)) {
            return;
        }
        spliceOut(c);
    }

    private void spliceOut(HttpConnection c) {
        int flags = SPLICE_F_MOVE | (c.bodyRemaining > 0 ? SPLICE_F_MORE : 0);
        sq.prepSplice(pipes.readEnd(c.pipe), -1, c.fd, -1, c.pipeFill, flags, conns.userData(c, Ops.SPLICE_OUT));
        c.sendPostedAt = loop.now();
        c.ops++;
    }

    void onSpliceOut(HttpConnection c, int res) {
        c.ops--;
        if (res > 0) {
            c.pipeFill -= res;
            stats.bytesSent += res;
            if (c.request != null) {
                c.request.bytes += res;
            }
        }
        if (c.state == HttpConnection.CLOSING) {
            conns.finishClose(c);
            return;
        }
        if (res <= 0) {
            conns.close(c);
            return;
        }
        if (c.pipeFill > 0) {
            spliceOut(c);
        } else if (c.bodyRemaining > 0) {
            spliceIn(c);
        } else {
            conns.responseDone(c);
        }
    }

    /**
     * Asked once the last of a body sent from the descriptor has been read from the file (into
     * the pipe or the buffer), before it goes out: if the file changed since it was cached, what
     * was read may mix two versions under the old Content-Length and validators, so the
     * connection is dropped short of the length, which tells the client the body is broken.
     */
    private boolean tornBody(HttpConnection c) {
        if (c.file.unchangedOnDisk(statxScratch, emptyPath)) {
            return false;
        }
        stats.fileErrors++;
        conns.close(c);
        return true;
    }

    /** The fallback body path: read a chunk of the file into a buffer, then send it. */
    private void readFileChunk(HttpConnection c) {
        if (c.bodyRemaining == 0) {
            conns.responseDone(c);
            return;
        }
        int len = (int) Math.min(c.bodyRemaining, inputPool.chunkSize());
        sq.prepRead(c.file.fd(), inputPool.address(c.readChunk), len, c.bodyOffset, conns.userData(c, Ops.READ_BODY));
        c.ops++;
    }

    void onReadBody(HttpConnection c, int res) {
        c.ops--;
        if (c.state == HttpConnection.CLOSING) {
            conns.finishClose(c);
            return;
        }
        if (res <= 0) {
            stats.fileErrors++;
            conns.close(c);
            return;
        }
        c.bodyOffset += res;
        c.bodyRemaining -= res;
        if (c.bodyRemaining == 0 && tornBody(c)) {
            return;
        }
        MemorySegment s = headPool.slab();
        long chunk = headPool.offset(c.headChunk);
        s.set(ValueLayout.JAVA_LONG, chunk + IOV, 0L);
        s.set(ValueLayout.JAVA_LONG, chunk + IOV + 8, 0L);
        s.set(ValueLayout.JAVA_LONG, chunk + IOV + 16, inputPool.address(c.readChunk));
        s.set(ValueLayout.JAVA_LONG, chunk + IOV + 24, res);
        submitSendmsg(c);
    }
}
