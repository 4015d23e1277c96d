package dev.ringside.bridge.jetty;

import dev.ringside.uring.http.OffloadedExchange;
import dev.ringside.uring.http.RequestHead;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One request/response cycle of Jetty's {@code HttpChannel} over one Ringside
 * {@link OffloadedExchange}: the {@link HttpStream} Jetty's HTTP/2 and FastCGI connections
 * implement, here for HTTP/1.1 whose bytes the Ringside loop moves. Runs only on Jetty's threads.
 *
 * <p>Sending renders the head ({@link ResponseHead}), frames the body (chunks when the length is not
 * known) and copies it into the exchange before the callback completes, so Jetty may reuse its
 * buffer at once. {@link OffloadedExchange#write} waits while both of its halves are with the loop:
 * a slow client therefore blocks the thread that sends, even an async servlet's (WriteListener)
 * thread, for up to the idle timeout. Not done yet: a non-blocking send, which would complete
 * the callback from {@code demandWritable} instead of waiting.
 *
 * <p>The exchange's last call ({@code complete} or {@code abort}) is made once, and never while a
 * send is still copying on another thread (the loop would reuse the exchange under it): a
 * failure that arrives during a send is carried out when that send returns.
 */
final class RingsideHttpStream implements HttpStream {
    /** Jetty's own channel (HttpChannelState), as its HTTP/2 connection makes them. */
    private static final HttpChannel.Factory CHANNELS = new HttpChannel.DefaultFactory();

    private final RingsideConnector connector;
    private final OffloadedExchange x;
    private final ResponseHead head = new ResponseHead();
    private final AtomicBoolean ended = new AtomicBoolean();
    private RingsideEndPoint endPoint;
    private RequestConnectionMetaData connection;
    private HttpChannel channel;
    private RequestContent content;
    private long idleTimeoutMs;
    private boolean http10;
    private volatile boolean committed;
    private boolean lastWritten;
    private Supplier<HttpFields> trailers;
    private volatile boolean sending;
    private volatile boolean endWanted;
    private boolean endByAbort;
    private boolean endWithClose;

    /** On the loop thread: stores only; nothing of Jetty's runs until {@link #handle()}. */
    RingsideHttpStream(RingsideConnector connector, OffloadedExchange x) {
        this.connector = connector;
        this.x = x;
    }

    /** On a Jetty thread: builds the channel for this request and runs its handler. */
    void handle() {
        try {
            RequestHead h = x.head();
            endPoint = (RingsideEndPoint) x.attachment(); // attached on the loop as the request was offloaded
            if (!endPoint.isOpen()) {
                requestEnd(true, true); // closed through Jetty's EndPoint since its last request
                return;
            }
            connection = new RequestConnectionMetaData(connector, endPoint, h);
            http10 = h.version() == dev.ringside.uring.http.HttpVersion.HTTP_1_0;
            setIdleTimeout(connector.getIdleTimeout());
            channel = CHANNELS.newHttpChannel(connection);
            channel.setHttpStream(this);
            content = new RequestContent(x, channel, connector.getByteBufferPool(), connector.requestExecutor(),
                    connector.getScheduler());
            connector.handling(this);
            endPoint.begin(this); // with its channel made: a close through the endpoint can reach it now
        } catch (Throwable t) {
            requestEnd(true, true); // no channel to answer with: the connection is cut
            throw t;
        }
        Runnable task;
        try {
            task = channel.onRequest(RequestMetaData.of(x.head(), connection));
        } catch (Throwable t) {
            // A head Jetty refuses (bad URI, blank Host): the channel answers it with an error page.
            HttpException e = t instanceof HttpException he ? he
                    : new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, t);
            task = channel.onFailure((Throwable) e);
        }
        if (task != null) {
            task.run();
        }
    }

    /** The connector stopped under this request: what the channel wants done about it (may be null). */
    Runnable connectionClosed() {
        return ended.get() ? null : channel.onClose();
    }

    @Override
    public String getId() {
        return Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public Content.Chunk read() {
        return content.read();
    }

    @Override
    public void demand() {
        content.demand(idleTimeoutMs);
    }

    @Override
    public void prepareResponse(HttpFields.Mutable headers) {
        // HTTP/1.0 keeps a connection only if the response says so (RFC 9112 appendix C.2.2).
        if (http10 && connection.isPersistent() && !headers.contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString())) {
            headers.add(HttpFields.CONNECTION_KEEPALIVE);
        }
    }

    @Override
    public void send(MetaData.Request request, MetaData.Response response, boolean last, ByteBuffer body, Callback callback) {
        Throwable failure = null;
        sending = true;
        try {
            if (!endPoint.isOpen()) {
                // Closed through Jetty's EndPoint (or by the loop): as on Jetty's own, nothing more is written.
                throw new EofException("connection closed");
            }
            if (response != null && HttpStatus.isInterim(response.getStatus())) {
                sendInterim(response, body);
            } else {
                if (response != null) {
                    commit(request, response, last, body);
                }
                sendBody(last, body);
                if (last) {
                    lastWritten = true; // the exchange's complete() sends what is still buffered
                } else {
                    x.flush();
                }
            }
        } catch (IOException e) {
            failure = x.failed() ? new EofException(e) : e; // a client gone: quiet in Jetty's logs
        } catch (Throwable t) {
            failure = t;
        } finally {
            sending = false;
            if (endWanted) {
                end();
            }
        }
        // After the bytes are in the exchange, never before: Jetty reuses the buffer at once.
        if (failure == null) {
            callback.succeeded();
        } else {
            callback.failed(failure);
        }
    }

    private void sendInterim(MetaData.Response response, ByteBuffer body) throws IOException {
        if (body != null && body.hasRemaining()) {
            throw new IllegalStateException("Interim response cannot have content");
        }
        int status = response.getStatus();
        if (status == HttpStatus.CONTINUE_100) {
            x.sendContinue(); // once, and only if the client asked and nothing else was sent
        } else if (status == HttpStatus.SWITCHING_PROTOCOLS_101) {
            // The connection's bytes belong to the loop: upgrades (WebSocket, h2c) are not served here.
            throw new UnsupportedOperationException("protocol upgrades are not supported by the Ringside connector");
        } else {
            head.renderInterim(response);
            x.write(head.bytes(), 0, head.length());
            x.flush();
        }
    }

    private void commit(MetaData.Request request, MetaData.Response response, boolean last, ByteBuffer body) throws IOException {
        if (committed) {
            throw new IllegalStateException("Committed");
        }
        committed = true;
        trailers = response.getTrailersSupplier();
        long contentLength = response.getContentLength();
        if (contentLength < 0 && last) {
            contentLength = body == null ? 0 : body.remaining();
        }
        if (x.continuePending() && !content.bytesRead()) {
            // The client may still be waiting for a 100 that this answer replaces: whether its body
            // follows cannot be known, so the connection cannot carry another request. Jetty's
            // HTTP/1.1 connection decides the same, also when the request announced no body.
            connection.notPersistent();
        }
        boolean headRequest = org.eclipse.jetty.http.HttpMethod.HEAD.is(request.getMethod());
        boolean contentRequest = org.eclipse.jetty.http.HttpMethod.POST.is(request.getMethod())
                || org.eclipse.jetty.http.HttpMethod.PUT.is(request.getMethod());
        head.render(response, headRequest, http10, contentLength, !connection.isPersistent(), contentRequest);
        if (head.close()) {
            connection.notPersistent();
        }
        x.write(head.bytes(), 0, head.length());
    }

    private void sendBody(boolean last, ByteBuffer body) throws IOException {
        int n = body == null ? 0 : body.remaining();
        if (!head.bodyAllowed()) {
            if (n > 0) {
                body.position(body.limit()); // HEAD, 204, 304: what the handler wrote is not sent
            }
            return;
        }
        if (!head.chunked()) {
            if (n > 0) {
                x.write(body);
            }
            return;
        }
        if (n > 0) {
            head.renderChunkLine(n);
            x.write(head.bytes(), 0, head.length());
            x.write(body);
            x.write(ResponseHead.CRLF, 0, 2);
        }
        if (last) {
            head.renderLastChunk(trailers == null ? null : trailers.get());
            x.write(head.bytes(), 0, head.length());
        }
    }

    @Override
    public Runnable cancelSend(Throwable cause, Callback appCallback) {
        // A send in progress finishes on its own thread (its write fails or times out); the
        // application's callback is failed now.
        return () -> appCallback.failed(cause);
    }

    @Override
    public long getIdleTimeout() {
        return idleTimeoutMs;
    }

    @Override
    public void setIdleTimeout(long idleTimeoutMs) {
        this.idleTimeoutMs = idleTimeoutMs;
        long nanos = idleTimeoutMs > 0 ? TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs) : 0;
        x.timeouts(nanos, nanos); // bounds a write blocked on a client that does not read
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public Throwable consumeAvailable() {
        Throwable unconsumed = HttpStream.consumeAvailable(this, connection.getHttpConfiguration());
        if (unconsumed != null) {
            // The rest of the body has not arrived: the connection cannot be reused (the loop
            // closes it too when a body was not read to its end).
            connection.notPersistent();
        }
        return unconsumed;
    }

    /** The cycle is over: the exchange sends what is left and keeps or closes the connection. */
    @Override
    public void succeeded() {
        boolean complete = committed && lastWritten;
        requestEnd(!complete, !connection.isPersistent() || head.close() || !endPoint.isOpen());
    }

    /** The cycle failed: a response already complete still goes out (then close), else the connection is cut. */
    @Override
    public void failed(Throwable failure) {
        requestEnd(!(committed && lastWritten), true);
    }

    private void requestEnd(boolean abort, boolean close) {
        endByAbort = abort;
        endWithClose = close;
        endWanted = true;
        if (!sending) {
            end();
        }
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        connector.handled(this);
        if (content != null) {
            content.end();
        }
        if (endPoint != null) {
            endPoint.end(this, committed);
        }
        if (endByAbort) {
            x.abort();
        } else {
            x.complete(endWithClose);
        }
    }

    @Override
    public String toString() {
        return "RingsideHttpStream@" + getId() + "{" + x.head() + ",committed=" + committed + "}";
    }
}
