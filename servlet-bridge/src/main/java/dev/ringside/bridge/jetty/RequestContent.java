package dev.ringside.bridge.jetty;

import dev.ringside.uring.http.OffloadedExchange;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.CyclicTimeout;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The request body as Jetty reads it ({@code HttpStream.read()} and {@code demand()}): chunks
 * copied out of the exchange's body window into buffers from the connector's pool, never waiting.
 * When nothing is there, a demand registers with the exchange; the exchange calls back on its
 * loop thread, which only hands {@link HttpChannel#onContentAvailable()} to the executor: Jetty's
 * code never runs on a loop. A demand left waiting longer than the stream's idle timeout is
 * reported to the channel as an idle timeout, as Jetty's own endpoints do.
 */
final class RequestContent {
    /** The largest chunk handed to Jetty at once; the exchange's body window is of this order. */
    private static final int MAX_CHUNK = 64 * 1024;
    private static final byte[] PROBE = new byte[0];

    private final OffloadedExchange x;
    private final HttpChannel channel;
    private final ByteBufferPool pool;
    private final Executor executor;
    private final Scheduler scheduler;
    private final Runnable onLoop = this::onBodyReadyOnLoop;
    private final Runnable contentAvailable = this::contentAvailable;
    /** EOF or a failure once reached: every later read returns it again (such chunks need no release). */
    private volatile Content.Chunk terminal;
    private volatile boolean demanding;
    private boolean bytesRead;
    private IdleTimer idleTimer;

    RequestContent(OffloadedExchange x, HttpChannel channel, ByteBufferPool pool, Executor executor, Scheduler scheduler) {
        this.x = x;
        this.channel = channel;
        this.pool = pool;
        this.executor = executor;
        this.scheduler = scheduler;
    }

    /** Bytes now, EOF, a failure, or null when the next bytes have not arrived yet. */
    Content.Chunk read() {
        Content.Chunk t = terminal;
        if (t != null) {
            return t;
        }
        try {
            int available = x.available();
            if (available == 0) {
                // Nothing buffered: the end, a failure (thrown) or simply not yet (0).
                return x.readNow(PROBE, 0, 0) < 0 ? (terminal = Content.Chunk.EOF) : null;
            }
            RetainableByteBuffer.Mutable buffer = pool.acquire(Math.min(available, MAX_CHUNK), false);
            ByteBuffer bb = buffer.getByteBuffer();
            int n;
            try {
                n = x.readNow(bb.array(), bb.arrayOffset(), Math.min(available, bb.capacity()));
            } catch (IOException e) {
                buffer.release();
                throw e;
            }
            bb.position(0).limit(n);
            bytesRead = true;
            boolean last = x.bodyFinished();
            if (last) {
                terminal = Content.Chunk.EOF;
            }
            return Content.Chunk.from(buffer, last);
        } catch (IOException e) {
            // A client gone is Jetty's EofException, which it handles quietly, as on its own connections.
            return terminal = Content.Chunk.from(x.failed() ? new EofException(e) : e, true);
        }
    }

    /** Some of the body has been read: the client did not wait for a 100 Continue. */
    boolean bytesRead() {
        return bytesRead;
    }

    /**
     * Calls the channel back when a read would return something. Already so: at once, on this
     * (Jetty's) thread, as Jetty's HTTP/1.1 connection does.
     */
    void demand(long idleTimeoutMs) {
        if (terminal != null || x.available() > 0 || x.bodyFinished() || x.failed()) {
            contentAvailable();
            return;
        }
        demanding = true;
        if (idleTimeoutMs > 0) {
            if (idleTimer == null) {
                idleTimer = new IdleTimer();
            }
            idleTimer.arm(idleTimeoutMs);
        }
        x.demandBody(onLoop);
    }

    /** The exchange will not be read again: the timer goes. */
    void end() {
        demanding = false;
        if (idleTimer != null) {
            idleTimer.destroy();
        }
    }

    /** On the loop thread (or inline when the body was ready already): only hands off. */
    private void onBodyReadyOnLoop() {
        try {
            executor.execute(contentAvailable);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Thread.ofVirtual().start(contentAvailable); // a full pool must not strand a reader
        }
    }

    private void contentAvailable() {
        demanding = false;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        Runnable task = channel.onContentAvailable();
        if (task != null) {
            task.run();
        }
    }

    /** Jetty's reusable timer: one per stream that ever waited, rescheduled per wait. */
    private final class IdleTimer extends CyclicTimeout {
        private long timeoutMs;

        IdleTimer() {
            super(scheduler);
        }

        void arm(long ms) {
            timeoutMs = ms;
            schedule(ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onTimeoutExpired() {
            if (!demanding) {
                return;
            }
            demanding = false;
            HttpChannel.IdleTimeoutTask task = channel.onIdleTimeout(
                    new TimeoutException("no request body bytes for " + timeoutMs + " ms"));
            if (task.action() != null) {
                executor.execute(task.action());
            }
        }
    }
}
