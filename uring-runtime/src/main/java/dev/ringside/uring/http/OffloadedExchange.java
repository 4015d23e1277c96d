package dev.ringside.uring.http;

import dev.ringside.uring.loop.EventLoop;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A request handed from its loop to a worker thread (a servlet container's executor): the
 * worker reads the head and the body and writes the response as raw bytes (status line,
 * headers and body framing are the worker's: containers render their own), while the loop
 * does every socket operation.
 *
 * <p>Request body: the loop decodes it (Content-Length or chunked) into a heap window the
 * worker copies from. When the window holds more than {@code bodyWindow} bytes the loop stops
 * receiving on the connection until the worker has drained half of it; what the kernel had
 * already delivered when the receive was cancelled still fits (the window grows, rarely).
 *
 * <p>Response: two off-heap halves. The worker fills one while the loop sends the other; a
 * worker that gets ahead parks until a half comes back. Worker → loop is one flag and, only if
 * the loop has not been told yet, one task on the loop's queue.
 *
 * <p>Threads: the methods without "loop" in their description are for the worker, one thread
 * at a time for reading and one for writing. {@link #complete} or {@link #abort} is the
 * worker's last call; the loop reuses the exchange once the worker is done and the connection
 * no longer needs it.
 */
public final class OffloadedExchange {
    private static final int FREE = 0;
    private static final int FILLED = 1;
    private static final int SENDING = 2;

    /** What the exchange needs from its connection's driver, on the loop. */
    interface Connection {
        void send(HttpConnection c, long address, int length);

        void resumeBody(HttpConnection c);

        void done(HttpConnection c, boolean close);

        void abort(HttpConnection c);

        /**
         * The loop answers {@code status} itself and closes, instead of the worker: the body broke
         * its framing before the worker handed over any byte of its answer. The exchange is no
         * longer the connection's once this returns.
         */
        void answerInstead(HttpConnection c, int status);

        void recycle(OffloadedExchange x);

        /** Our own code failed for this connection on the loop: it is closed, counted and logged. */
        void failed(HttpConnection c, Throwable e);
    }

    // ---- who answers: the worker, or the loop when the body broke before the worker's answer ----
    private static final int ANSWER_OPEN = 0;
    private static final int ANSWER_WORKER = 1;
    private static final int ANSWER_LOOP = 2;

    private final EventLoop loop;
    private final Connection driver;
    private final RequestHead head = new RequestHead();
    private final MemorySegment out;
    private final int half;
    private final int bodyWindow;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable loopTask = this::onLoop;
    /** The interim answer, in the container's words (Tomcat's has no reason phrase). */
    private final byte[] continueLine;

    // ---- a worker's large direct buffer, sent from where it lies (worker → loop → worker) ----
    private static final int BORROW_NONE = 0;
    private static final int BORROW_POSTED = 1;
    private static final int BORROW_DONE = 2;
    private volatile int borrowState;
    private long borrowAddress;
    private int borrowLength;
    private ByteBuffer borrowed; // keeps the direct memory reachable while the kernel reads it

    /** The connection's attachment, written by the loop before the worker is handed the exchange. */
    private volatile ConnectionAttachment attachment;

    // ---- loop only ----
    private HttpConnection conn;
    private boolean sendingBorrowed;
    private int borrowSent;
    private int sendIdx;
    private int sentOff;
    private boolean sendInFlight;
    private boolean pooled = true;

    /** Decided once per request, by whichever side gets there first: see {@link #claimAnswer}. */
    private final AtomicInteger answer = new AtomicInteger();

    // ---- worker → loop ----
    private final int[] outLen = new int[2];
    private final AtomicIntegerArray outState = new AtomicIntegerArray(2);
    private volatile boolean ended;
    private volatile boolean closeWanted;
    private volatile boolean aborted;
    private volatile boolean workerDone;
    private volatile boolean resumeWanted;
    /** A write timed out with the worker's buffer posted: the loop closes the connection, which cancels the send. */
    private volatile boolean closeForTimeout;

    // ---- loop → worker ----
    private volatile boolean failed;
    private volatile Thread readWaiter;
    private volatile Thread writeWaiter;
    private final AtomicReference<Runnable> readInterest = new AtomicReference<>();
    private final AtomicReference<Runnable> writeInterest = new AtomicReference<>();

    // ---- worker only ----
    private int fillIdx;
    private int fillPos;
    private long responseBytes;
    private boolean continueSent;
    private long readTimeoutNanos = TimeUnit.SECONDS.toNanos(60);
    private long writeTimeoutNanos = TimeUnit.SECONDS.toNanos(60);

    // ---- the request body, guarded by bodyLock (the loop appends, the worker takes) ----
    private final Object bodyLock = new Object();
    private byte[] body;
    private int bodyStart;
    private int bodyEnd;
    private boolean bodyEnded;
    private boolean bodyPaused;
    private int bodyError;

    OffloadedExchange(EventLoop loop, Connection driver, MemorySegment out, int bodyWindow, ResponseStyle style) {
        this.continueLine = style.continueLine;
        this.loop = loop;
        this.driver = driver;
        this.out = out;
        this.half = (int) (out.byteSize() / 2);
        this.bodyWindow = bodyWindow;
        this.body = new byte[Math.min(bodyWindow, 8192)];
    }

    // =========================================================================================
    // Worker side
    // =========================================================================================

    public RequestHead head() {
        return head;
    }

    /** What the handler attached to this request's connection ({@link HttpExchange#attach}), or null. */
    public ConnectionAttachment attachment() {
        return attachment;
    }

    /** How long a blocking read or write may wait for the client before it fails. */
    public void timeouts(long readNanos, long writeNanos) {
        this.readTimeoutNanos = readNanos > 0 ? readNanos : Long.MAX_VALUE / 4;
        this.writeTimeoutNanos = writeNanos > 0 ? writeNanos : Long.MAX_VALUE / 4;
    }

    /**
     * Copies up to {@code len} body bytes into {@code dst}, waiting for at least one; -1 at the
     * end of the body.
     *
     * @throws IOException the client went away, broke the chunked framing, or was silent too long
     */
    public int read(byte[] dst, int off, int len) throws IOException {
        long deadline = 0;
        while (true) {
            int n = take(dst, off, len);
            if (n != 0) {
                return n;
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + readTimeoutNanos;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                readWaiter = null;
                throw new SocketTimeoutException("no request body bytes for " + readTimeoutNanos / 1_000_000 + " ms");
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** Like {@link #read} but never waits: 0 when nothing is there yet. */
    public int readNow(byte[] dst, int off, int len) throws IOException {
        int n = take(dst, off, len);
        readWaiter = null;
        return n;
    }

    private int take(byte[] dst, int off, int len) throws IOException {
        boolean resume = false;
        int n;
        synchronized (bodyLock) {
            int avail = bodyEnd - bodyStart;
            if (avail > 0) {
                n = Math.min(avail, len);
                System.arraycopy(body, bodyStart, dst, off, n);
                bodyStart += n;
                if (bodyStart == bodyEnd) {
                    bodyStart = bodyEnd = 0;
                }
                if (bodyPaused && bodyEnd - bodyStart <= bodyWindow / 2) {
                    bodyPaused = false;
                    resume = true;
                }
            } else if (bodyEnded) {
                return -1;
            } else if (bodyError != 0) {
                throw new IOException(bodyError > 0
                        ? "malformed request body (" + bodyError + ")" : "connection closed during the request body");
            } else {
                n = 0;
                readWaiter = Thread.currentThread();
            }
        }
        if (resume) {
            resumeWanted = true;
            schedule();
        }
        if (n == 0 && failed) {
            throw new IOException("connection closed during the request body");
        }
        return n;
    }

    /** Body bytes that can be read now without waiting. */
    public int available() {
        synchronized (bodyLock) {
            return bodyEnd - bodyStart;
        }
    }

    /** The whole body has been read (or there was none). */
    public boolean bodyFinished() {
        synchronized (bodyLock) {
            return bodyEnded && bodyEnd == bodyStart;
        }
    }

    /**
     * Runs {@code r} once, on the loop, as soon as body bytes, the body's end or a failure can be
     * read (at once, on this thread, if they already can). {@code r} must not block.
     */
    public void demandBody(Runnable r) {
        readInterest.set(r);
        boolean ready;
        synchronized (bodyLock) {
            ready = bodyEnd > bodyStart || bodyEnded || bodyError != 0;
        }
        if (ready || failed) {
            Runnable x = readInterest.getAndSet(null);
            if (x != null) {
                x.run();
            }
        }
    }

    /** Sends {@code 100 Continue} if the client asked for it and nothing has been sent yet. */
    public void sendContinue() throws IOException {
        if (head.expectContinue() && !continueSent && responseBytes == 0) {
            continueSent = true;
            write(continueLine, 0, continueLine.length);
            responseBytes = 0;
            if (failed) {
                throw new IOException("connection closed");
            }
            // An interim answer: it does not claim the answer (the loop may still send a 400 after it).
            handOffRaw();
        }
    }

    /** Whether the client asked for 100-continue and has not been sent one. */
    public boolean continuePending() {
        return head.expectContinue() && !continueSent && responseBytes == 0;
    }

    /** Copies response bytes out, waiting while both halves are with the loop. */
    public void write(byte[] src, int off, int len) throws IOException {
        while (len > 0) {
            awaitFillable();
            int n = Math.min(len, half - fillPos);
            MemorySegment.copy(src, off, out, ValueLayout.JAVA_BYTE, (long) fillIdx * half + fillPos, n);
            fillPos += n;
            off += n;
            len -= n;
            responseBytes += n;
            if (fillPos == half) {
                handOff();
            }
        }
    }

    /** Copies the buffer's remaining bytes out (its position moves to its limit). */
    public void write(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            long before = responseBytes;
            try {
                write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            } finally {
                // What was taken, also when the write failed part way: the buffer says what is left.
                src.position(src.position() + (int) (responseBytes - before));
            }
            return;
        }
        if (src.isDirect() && src.remaining() >= 2 * half) {
            writeBorrowed(src);
            return;
        }
        MemorySegment from = MemorySegment.ofBuffer(src);
        long off = 0;
        long len = from.byteSize();
        try {
            while (len > 0) {
                awaitFillable();
                int n = (int) Math.min(len, half - fillPos);
                MemorySegment.copy(from, off, out, (long) fillIdx * half + fillPos, n);
                fillPos += n;
                off += n;
                len -= n;
                responseBytes += n;
                if (fillPos == half) {
                    handOff();
                }
            }
        } finally {
            src.position(src.position() + (int) off);
        }
    }

    /** Response bytes written so far (an interim 100 not counted). */
    public long responseBytes() {
        return responseBytes;
    }

    /** Hands what has been written to the loop now. */
    public void flush() throws IOException {
        if (failed || closeForTimeout) {
            throw new IOException("connection closed");
        }
        if (fillPos > 0) {
            handOff();
        }
    }

    /** A write would not wait now. */
    public boolean writable() {
        return !failed && !closeForTimeout && outState.get(fillIdx) == FREE;
    }

    /**
     * Runs {@code r} once, on the loop, when a write would no longer wait or the connection has
     * failed (at once, on this thread, if that is already so). {@code r} must not block.
     */
    public void demandWritable(Runnable r) {
        writeInterest.set(r);
        if (writable() || failed) {
            Runnable x = writeInterest.getAndSet(null);
            if (x != null) {
                x.run();
            }
        }
    }

    /** The client is gone: reads and writes fail. */
    public boolean failed() {
        return failed;
    }

    /**
     * The response is complete: what is buffered is sent, then the connection takes the next
     * request, or closes if {@code close} (or if the request body was not read to its end).
     * The worker's last call.
     */
    public void complete(boolean close) {
        dropInterests();
        if (fillPos > 0 && !failed && !closeForTimeout && claimAnswer()) {
            outLen[fillIdx] = fillPos;
            outState.set(fillIdx, FILLED);
            fillPos = 0;
        }
        closeWanted = close;
        ended = true;
        workerDone = true;
        schedule();
    }

    /** The response cannot be finished: the connection is closed. The worker's last call. */
    public void abort() {
        dropInterests();
        aborted = true;
        workerDone = true;
        schedule();
    }

    /**
     * What the worker registered dies with its request: its pooled processor may serve the next
     * request by the time the loop would run it (a close, a late body byte).
     */
    private void dropInterests() {
        readInterest.set(null);
        writeInterest.set(null);
    }

    /**
     * A large direct buffer is sent from where it lies instead of being copied through the
     * halves in 16 KiB steps (one loop hand-off instead of one per half). The write still
     * blocks until the kernel has taken every byte, so the caller may reuse the buffer after.
     */
    private void writeBorrowed(ByteBuffer src) throws IOException {
        if (fillPos > 0) {
            handOff(); // what was written before goes first
        }
        awaitDrained();
        if (!claimAnswer()) {
            throw new IOException("the request body was malformed: the loop answers it");
        }
        int n = src.remaining();
        borrowed = src;
        borrowAddress = MemorySegment.ofBuffer(src).address();
        borrowLength = n;
        borrowState = BORROW_POSTED;
        schedule();
        try {
            // Not stopped by a failure: the loop may still be sending from the buffer until
            // it hands it back (on completion, or when the closed connection detaches).
            awaitWrite(() -> borrowState == BORROW_DONE, false);
        } catch (SocketTimeoutException timeout) {
            // The kernel may still send from the buffer, which the caller may free or reuse the
            // moment we return (a mapping unmapped, a pooled buffer handed to the next request):
            // the connection is closed, which cancels the send, and only once the loop has handed
            // the buffer back does the timeout reach the caller.
            closeForTimeout = true;
            schedule();
            awaitBorrowReturned();
            throw timeout;
        } finally {
            borrowed = null;
        }
        if (failed) {
            throw new IOException("connection closed");
        }
        borrowState = BORROW_NONE;
        responseBytes += n;
        src.position(src.limit());
    }

    /** Parks until the loop hands the posted buffer back (its send completed or was cancelled), however long. */
    private void awaitBorrowReturned() {
        writeWaiter = Thread.currentThread();
        try {
            while (borrowState != BORROW_DONE) {
                LockSupport.parkNanos(this, 100_000_000L);
            }
        } finally {
            writeWaiter = null;
        }
    }

    /** Waits until the loop has sent both halves. */
    private void awaitDrained() throws IOException {
        awaitFillable();
        int other = fillIdx ^ 1;
        if (outState.get(other) != FREE) {
            awaitWrite(() -> outState.get(other) == FREE, true);
        }
    }

    private void handOff() throws IOException {
        if (!claimAnswer()) {
            fillPos = 0;
            throw new IOException("the request body was malformed: the loop answers it");
        }
        handOffRaw();
    }

    private void handOffRaw() {
        outLen[fillIdx] = fillPos;
        outState.set(fillIdx, FILLED);
        fillIdx ^= 1;
        fillPos = 0;
        schedule();
    }

    /**
     * The worker's first byte of its final answer makes the answer the worker's; false if the loop
     * has taken it (the body broke first), and then nothing the worker writes is ever sent.
     */
    private boolean claimAnswer() {
        if (answer.get() == ANSWER_OPEN) {
            answer.compareAndSet(ANSWER_OPEN, ANSWER_WORKER);
        }
        return answer.get() == ANSWER_WORKER;
    }

    private void awaitFillable() throws IOException {
        if (failed || closeForTimeout) {
            throw new IOException(closeForTimeout ? "connection closed: a write timed out" : "connection closed");
        }
        if (outState.get(fillIdx) != FREE) {
            awaitWrite(() -> outState.get(fillIdx) == FREE, true);
        }
    }

    private interface Condition {
        boolean holds();
    }

    /**
     * Parks the writing worker until {@code done} holds (the loop unparks it on each send
     * completion), the write timeout passes, or, if {@code stopOnFailure}, the connection fails.
     */
    private void awaitWrite(Condition done, boolean stopOnFailure) throws IOException {
        long deadline = System.nanoTime() + writeTimeoutNanos;
        writeWaiter = Thread.currentThread();
        try {
            while (!done.holds()) {
                if (stopOnFailure && failed) {
                    throw new IOException("connection closed");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // The answer is broken off: nothing more is written (a caller that writes the same
                    // bytes again would send some twice) and the loop closes the connection.
                    closeForTimeout = true;
                    schedule();
                    throw new SocketTimeoutException("the client read nothing for " + writeTimeoutNanos / 1_000_000 + " ms");
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            writeWaiter = null;
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(loopTask);
        }
    }

    // =========================================================================================
    // Loop side
    // =========================================================================================

    /** On the loop: takes the request the parser has just completed. */
    void bind(HttpConnection c, MemorySegment seg, HttpRequestParser p, long now) {
        pooled = false;
        conn = c;
        attachment = c.attachment;
        head.fill(seg, p, c, now);
        if (!head.hasBody()) {
            bodyEnded = true;
        }
    }

    /** On the loop: the handler attached something to the connection after offloading this request. */
    void attached(ConnectionAttachment a) {
        attachment = a;
    }

    /** On the loop: decoded body bytes. Returns true if the connection should stop receiving. */
    boolean offerBody(MemorySegment seg, long from, long to) {
        int n = (int) (to - from);
        boolean over;
        synchronized (bodyLock) {
            if (body.length - bodyEnd < n) {
                int held = bodyEnd - bodyStart;
                if (held + n > body.length) {
                    byte[] bigger = new byte[Math.max(body.length * 2, held + n)];
                    System.arraycopy(body, bodyStart, bigger, 0, held);
                    body = bigger;
                } else {
                    System.arraycopy(body, bodyStart, body, 0, held);
                }
                bodyStart = 0;
                bodyEnd = held;
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, from, body, bodyEnd, n);
            bodyEnd += n;
            over = bodyEnd - bodyStart > bodyWindow;
            if (over) {
                bodyPaused = true;
            }
        }
        wakeReader();
        return over;
    }

    /** On the loop: the body ended well. */
    void endBody() {
        synchronized (bodyLock) {
            bodyEnded = true;
        }
        wakeReader();
    }

    /** On the loop: the body's framing broke ({@code status}, e.g. 400 or 413). */
    void failBody(int status) {
        synchronized (bodyLock) {
            bodyError = status;
        }
        wakeReader();
    }

    /**
     * On the loop: the body's framing broke. If the worker has handed over no byte of its final
     * answer, the answer is the loop's: the worker's reads and writes fail from now on, and once
     * an interim 100 still on its way is out, the driver answers {@code status} and closes
     * ({@link Connection#answerInstead}). Returns whether it is the loop's; if not, the worker's
     * answer goes out and the connection closes after it.
     */
    boolean failBodyBeforeAnswer(HttpConnection c, int status) {
        // Decided before the worker can see the error: a worker woken by it could otherwise
        // answer it (say, a 500 page) and win.
        boolean loops = answer.compareAndSet(ANSWER_OPEN, ANSWER_LOOP);
        if (loops) {
            failed = true;
        }
        failBody(status);
        if (!loops) {
            return false;
        }
        wakeWriter();
        pump(c);
        return true;
    }

    /** On the loop: the connection is closing; the worker's calls fail from now on. */
    void connectionLost() {
        failed = true;
        synchronized (bodyLock) {
            if (!bodyEnded && bodyError == 0) {
                bodyError = -1;
            }
        }
        wakeReader();
        wakeWriter();
    }

    /** On the loop: the connection no longer refers to this exchange. */
    void detach() {
        conn = null;
        if (borrowState == BORROW_POSTED) {
            // Closed with the worker's buffer still posted: no send is in flight any more
            // (the connection closes only when its operations are done), so it may have it back.
            sendingBorrowed = false;
            borrowState = BORROW_DONE;
            wakeWriter();
        }
        if (workerDone && !pooled) {
            pooled = true;
            driver.recycle(this);
        }
    }

    /** On the loop: a send of this exchange completed (the driver has already counted it). */
    void onSend(HttpConnection c, int res) {
        sendInFlight = false;
        if (res < 0) {
            driver.abort(c);
            return;
        }
        if (sendingBorrowed) {
            borrowSent += res;
            if (borrowSent < borrowLength) {
                sendInFlight = true;
                driver.send(c, borrowAddress + borrowSent, borrowLength - borrowSent);
                return;
            }
            sendingBorrowed = false;
            borrowState = BORROW_DONE;
            wakeWriter();
            pump(c);
            return;
        }
        sentOff += res;
        if (sentOff < outLen[sendIdx]) {
            sendInFlight = true;
            driver.send(c, out.address() + (long) sendIdx * half + sentOff, outLen[sendIdx] - sentOff);
            return;
        }
        outState.set(sendIdx, FREE);
        sendIdx ^= 1;
        wakeWriter();
        pump(c);
    }

    private void onLoop() {
        try {
            onLoopUnguarded();
        } catch (RuntimeException | LinkageError e) {
            HttpConnection c = conn;
            if (c != null) {
                driver.failed(c, e);
            } else {
                throw e; // the loop's task runner logs it
            }
        }
    }

    private void onLoopUnguarded() {
        scheduled.set(false);
        HttpConnection c = conn;
        if (c == null) {
            if (borrowState == BORROW_POSTED) {
                // Posted after the connection closed (the worker had not seen it fail yet): no
                // send will take it, so it goes straight back, or the writer would wait out its
                // whole write timeout.
                borrowState = BORROW_DONE;
                wakeWriter();
            }
            if (workerDone && !pooled) {
                pooled = true;
                driver.recycle(this);
            }
            return;
        }
        if ((aborted && answer.get() != ANSWER_LOOP) || closeForTimeout) {
            driver.abort(c);
            return;
        }
        if (resumeWanted) {
            resumeWanted = false;
            driver.resumeBody(c);
        }
        pump(c);
    }

    private void pump(HttpConnection c) {
        if (sendInFlight || conn != c) {
            return;
        }
        if (outState.get(sendIdx) == FILLED) {
            outState.set(sendIdx, SENDING);
            sentOff = 0;
            sendInFlight = true;
            if (c.request != null) {
                noteStatus(c.request, (long) sendIdx * half, outLen[sendIdx]);
            }
            driver.send(c, out.address() + (long) sendIdx * half, outLen[sendIdx]);
        } else if (answer.get() == ANSWER_LOOP) {
            // Only an interim 100 can have been sent before: now the loop's own answer, the body's status.
            int status;
            synchronized (bodyLock) {
                status = bodyError;
            }
            driver.answerInstead(c, status);
        } else if (borrowState == BORROW_POSTED && !sendingBorrowed) {
            // Posted only once both halves were sent: order is kept.
            sendingBorrowed = true;
            borrowSent = 0;
            sendInFlight = true;
            driver.send(c, borrowAddress, borrowLength);
        } else if (ended) {
            driver.done(c, closeWanted);
        }
    }

    /** A half that starts with a status line ("HTTP/1.1 200 ..."): the worker's status, for the request's event (an interim 100 is overwritten by the final one). */
    private void noteStatus(dev.ringside.uring.events.RequestEvent e, long at, int len) {
        if (len >= 12 && out.get(ValueLayout.JAVA_BYTE, at) == 'H' && out.get(ValueLayout.JAVA_BYTE, at + 4) == '/'
                && out.get(ValueLayout.JAVA_BYTE, at + 8) == ' ') {
            int status = 0;
            for (int i = 9; i < 12; i++) {
                int d = out.get(ValueLayout.JAVA_BYTE, at + i) - '0';
                if (d < 0 || d > 9) {
                    return;
                }
                status = status * 10 + d;
            }
            if (e.status == 0 || e.status < 200) {
                e.status = status;
            }
        }
    }

    private void wakeReader() {
        wake(readWaiter, readInterest);
    }

    private void wakeWriter() {
        wake(writeWaiter, writeInterest);
    }

    /** Unparks a blocked worker, or runs a non-blocking worker's registered interest, once. */
    private static void wake(Thread waiter, AtomicReference<Runnable> interest) {
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
        Runnable r = interest.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }

    /** On the loop, as the exchange goes back to its pool. */
    void reset() {
        conn = null;
        attachment = null;
        sendIdx = 0;
        sentOff = 0;
        sendInFlight = false;
        outState.set(0, FREE);
        outState.set(1, FREE);
        ended = closeWanted = aborted = workerDone = resumeWanted = failed = closeForTimeout = false;
        readWaiter = writeWaiter = null;
        readInterest.set(null);
        writeInterest.set(null);
        fillIdx = fillPos = 0;
        responseBytes = 0;
        borrowState = BORROW_NONE;
        borrowed = null;
        sendingBorrowed = false;
        borrowSent = 0;
        continueSent = false;
        answer.set(ANSWER_OPEN);
        synchronized (bodyLock) {
            bodyStart = bodyEnd = 0;
            bodyEnded = bodyPaused = false;
            bodyError = 0;
            if (body.length > 4 * bodyWindow) {
                body = new byte[bodyWindow]; // a burst grew it: do not keep the burst's memory
            }
        }
    }
}
