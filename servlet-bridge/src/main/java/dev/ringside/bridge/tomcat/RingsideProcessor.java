package dev.ringside.bridge.tomcat;

import dev.ringside.uring.http.HttpDate;
import dev.ringside.uring.http.HttpVersion;
import dev.ringside.uring.http.OffloadedExchange;
import dev.ringside.uring.http.RequestHead;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.ActionCode;
import org.apache.coyote.ContinueResponseTiming;
import org.apache.coyote.ErrorState;
import org.apache.coyote.InputBuffer;
import org.apache.coyote.OutputBuffer;
import org.apache.coyote.Request;
import org.apache.coyote.RequestInfo;
import org.apache.coyote.Response;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.apache.tomcat.util.net.DispatchType;
import org.apache.tomcat.util.net.ServletConnectionImpl;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request/response pair of Coyote over a Ringside {@link OffloadedExchange}, as Tomcat's
 * HTTP/2 {@code StreamProcessor} is one over a stream: Ringside's parser has already
 * validated the head, so the processor copies offsets into Coyote's request, calls the
 * container's own {@code Adapter.service}, and renders the response head the way
 * {@code Http11Processor.prepareResponse} does. There is no socket wrapper: events (async
 * dispatch, non-blocking read/write readiness, timeouts) run on the connector's executor
 * under this processor's lock. Pooled by the protocol; one request at a time.
 */
final class RingsideProcessor extends AbstractProcessor {
    private static final Log log = LogFactory.getLog(RingsideProcessor.class);

    private final RingsideProtocol protocol;
    private final Lock processLock = new ReentrantLock();
    private final ResponseHeadBytes head = new ResponseHeadBytes();
    private final ResponseBody body = new ResponseBody();
    private final byte[] readBuffer = new byte[8192];
    /** The readiness callbacks of the request being served (made once per request that waits). */
    private Readiness readReady = new Readiness(this, SocketEvent.OPEN_READ, -1);
    private Readiness writeReady = new Readiness(this, SocketEvent.OPEN_WRITE, -1);

    private OffloadedExchange exchange;
    private boolean http11;
    private boolean keepAlive;
    private boolean swallowInput;
    private boolean swallowResponse;
    private boolean finished;
    private boolean released;
    /** Which request this processor serves; events carry it so a late one cannot reach the next. */
    private volatile int generation;
    private long bytesWritten;
    private ByteChunk replayedBody;
    private String localAddr;
    private String localName;
    /** DefaultServlet left this file region to the connector (sendfile), or null. */
    private String sendfile;
    private long sendfileStart;
    private long sendfileEnd;

    RingsideProcessor(RingsideProtocol protocol) {
        super(protocol.getAdapter(), new Request(), new Response());
        this.protocol = protocol;
        request.setInputBuffer(new ExchangeInput());
        response.setOutputBuffer(new ExchangeOutput());
        request.getRequestProcessor().setGlobalProcessor(protocol.requestGroup());
    }

    /** On a container thread: serves the exchange the loop has just handed over. */
    void start(OffloadedExchange x) {
        exchange = x;
        released = false;
        x.timeouts(protocol.readTimeoutNanos(), protocol.writeTimeoutNanos());
        run(SocketEvent.OPEN_READ, generation);
    }

    private void run(SocketEvent event, int forGeneration) {
        processLock.lock();
        try {
            if (released || forGeneration != generation) {
                // A late event (an app thread's dispatch, a timeout) for a request that has
                // ended; the pooled processor may already serve the next one.
                return;
            }
            SocketState state;
            try {
                state = process(null, event);
            } catch (Throwable t) {
                log.error("Ringside: request processing failed", t);
                setErrorState(ErrorState.CLOSE_NOW, t);
                state = SocketState.CLOSED;
            }
            if (state == SocketState.LONG) {
                protocol.addWaitingProcessor(this);
            } else {
                protocol.removeWaitingProcessor(this);
                end();
            }
        } finally {
            processLock.unlock();
        }
    }

    @Override
    public SocketState service(SocketWrapperBase<?> ignored) throws IOException {
        RequestInfo rp = request.getRequestProcessor();
        rp.setStage(org.apache.coyote.Constants.STAGE_PREPARE);
        prepareRequest();
        if (getErrorState().isIoAllowed()) {
            try {
                rp.setStage(org.apache.coyote.Constants.STAGE_SERVICE);
                getAdapter().service(request, response);
                if (keepAlive && !getErrorState().isError() && !isAsync()
                        && statusDropsConnection(response.getStatus())) {
                    setErrorState(ErrorState.CLOSE_CLEAN, null);
                }
            } catch (java.io.InterruptedIOException e) {
                setErrorState(ErrorState.CLOSE_CONNECTION_NOW, e);
            } catch (Throwable t) {
                log.error("Ringside: the servlet container failed on a request", t);
                response.setStatus(500);
                setErrorState(ErrorState.CLOSE_CLEAN, t);
                getAdapter().log(request, response, 0);
            }
        } else {
            getAdapter().log(request, response, 0);
        }
        rp.setStage(org.apache.coyote.Constants.STAGE_ENDINPUT);
        if (isAsync() && !getErrorState().isError()) {
            return SocketState.LONG;
        }
        endRequest();
        rp.setStage(org.apache.coyote.Constants.STAGE_ENDED);
        request.updateCounters();
        return SocketState.CLOSED;
    }

    @Override
    protected SocketState dispatchEndRequest() {
        endRequest();
        return SocketState.CLOSED;
    }

    // ---- the request ----------------------------------------------------------------------

    private void prepareRequest() {
        RequestHead h = exchange.head();
        byte[] b = h.bytes();
        request.setStartTimeNanos(h.startNanos());
        request.method().setBytes(b, h.methodStart(), h.methodEnd() - h.methodStart());
        request.requestURI().setBytes(b, h.pathStart(), h.pathEnd() - h.pathStart());
        if (h.queryStart() >= 0) {
            request.queryString().setBytes(b, h.queryStart(), h.queryEnd() - h.queryStart());
        }
        http11 = h.version() == HttpVersion.HTTP_1_1;
        request.protocol().setString(http11 ? "HTTP/1.1" : "HTTP/1.0");
        keepAlive = h.keepAlive();
        MimeHeaders headers = request.getMimeHeaders();
        headers.setLimit(protocol.getMaxHeaderCount());
        for (int i = 0, n = h.headerCount(); i < n; i++) {
            headers.addValue(b, h.headerNameStart(i), h.headerNameEnd(i) - h.headerNameStart(i))
                    .setBytes(b, h.headerValueStart(i), h.headerValueEnd(i) - h.headerValueStart(i));
        }
        // There is no socket wrapper to ask later: the addresses are set now, as AJP does.
        request.remoteAddr().setString(h.remoteAddr());
        request.peerAddr().setString(h.remoteAddr());
        request.remoteHost().setString(h.remoteAddr());
        request.setRemotePort(h.remotePort());
        request.localAddr().setString(h.localAddr());
        if (!h.localAddr().equals(localAddr)) {
            localAddr = h.localAddr();
            localName = protocol.localName(localAddr);
        }
        request.localName().setString(localName);
        request.setLocalPort(h.localPort());
        request.scheme().setString("http");
        request.setContentLength(h.chunked() ? -1 : h.contentLength());
        if (http11 && h.expectContinue()) {
            request.setExpectation(true);
        }
        swallowInput = true;
        MessageBytes host = headers.getValue("host");
        if (host == null && http11) {
            response.setStatus(400);
            setErrorState(ErrorState.CLOSE_CLEAN, null);
            return;
        }
        parseHost(host);
    }

    @Override
    protected boolean getPopulateRequestAttributesFromSocket() {
        return false;
    }

    private final class ExchangeInput implements InputBuffer {
        @Override
        public int doRead(ApplicationBufferHandler handler) throws IOException {
            if (replayedBody != null) {
                if (replayedBody.getLength() == 0) {
                    return -1;
                }
                int n = replayedBody.getLength();
                handler.setByteBuffer(ByteBuffer.wrap(replayedBody.getBytes(), replayedBody.getStart(), n));
                replayedBody.setStart(replayedBody.getEnd());
                return n;
            }
            if (!getErrorState().isIoAllowed()) {
                return -1;
            }
            if (request.hasExpectation() && exchange.continuePending()) {
                ack(ContinueResponseTiming.ALWAYS);
            }
            int n;
            try {
                n = request.getReadListener() != null
                        ? exchange.readNow(readBuffer, 0, readBuffer.length)
                        : exchange.read(readBuffer, 0, readBuffer.length);
            } catch (SocketTimeoutException e) {
                setErrorState(ErrorState.CLOSE_CONNECTION_NOW, e);
                throw e;
            }
            if (n < 0) {
                return -1;
            }
            handler.setByteBuffer(ByteBuffer.wrap(readBuffer, 0, n));
            return n;
        }

        @Override
        public int available() {
            return exchange == null ? 0 : exchange.available();
        }
    }

    @Override
    protected int available(boolean doRead) {
        if (replayedBody != null) {
            return replayedBody.getLength();
        }
        return exchange.available();
    }

    @Override
    protected boolean isRequestBodyFullyRead() {
        return replayedBody != null ? replayedBody.getLength() == 0 : exchange.bodyFinished();
    }

    @Override
    protected void registerReadInterest() {
        if (readReady.generation != generation) {
            readReady = new Readiness(this, SocketEvent.OPEN_READ, generation);
        }
        exchange.demandBody(readReady);
    }

    @Override
    protected boolean isReadyForWrite() {
        if (exchange.writable()) {
            return true;
        }
        if (writeReady.generation != generation) {
            writeReady = new Readiness(this, SocketEvent.OPEN_WRITE, generation);
        }
        exchange.demandWritable(writeReady);
        return false;
    }

    @Override
    protected boolean isTrailerFieldsReady() {
        return isRequestBodyFullyRead();
    }

    @Override
    protected void setRequestBody(ByteChunk replay) {
        replayedBody = replay;
    }

    @Override
    protected void disableSwallowRequest() {
        swallowInput = false;
    }

    @Override
    protected void ack(ContinueResponseTiming timing) {
        if ((timing == ContinueResponseTiming.ALWAYS || timing == protocol.getContinueResponseTimingInternal())
                && !response.isCommitted() && request.hasExpectation()) {
            try {
                exchange.sendContinue();
            } catch (IOException e) {
                setErrorState(ErrorState.CLOSE_CONNECTION_NOW, e);
            }
        }
    }

    // ---- the response ---------------------------------------------------------------------

    @Override
    protected void prepareResponse() throws IOException {
        response.setCommitted(true);
        if (request.getNote(org.apache.catalina.connector.CoyoteAdapter.ADAPTER_NOTES)
                instanceof org.apache.catalina.connector.Request mapped) {
            protocol.staticApps().learn(mapped.getContext()); // the static path learns each app from its first answer
        }
        int status = response.getStatus();
        boolean entityBody = !(status < 200 || status == 204 || status == 205 || status == 304);
        if (!entityBody) {
            response.setContentLength(status == 205 ? 0 : -1);
        }
        boolean head = "HEAD".equals(request.getMethod());
        sendfile = entityBody && !head ? (String) request.getAttribute(org.apache.coyote.Constants.SENDFILE_FILENAME_ATTR)
                : null;
        if (sendfile != null) {
            sendfileStart = (Long) request.getAttribute(org.apache.coyote.Constants.SENDFILE_FILE_START_ATTR);
            sendfileEnd = (Long) request.getAttribute(org.apache.coyote.Constants.SENDFILE_FILE_END_ATTR);
        }
        boolean compress = entityBody && sendfile == null && protocol.useCompression(request, response);
        MimeHeaders headers = response.getMimeHeaders();
        if (entityBody || status == 204) {
            String type = response.getContentType();
            if (type != null) {
                headers.setValue("Content-Type").setString(type);
            }
            String language = response.getContentLanguage();
            if (language != null) {
                headers.setValue("Content-Language").setString(language);
            }
        }
        long contentLength = response.getContentLengthLong();
        boolean closeAsked = hasToken(headers, "close");
        ResponseBody.Framing framing;
        boolean delimited = true;
        if (!entityBody || head || sendfile != null) {
            // No body from the app: none at all, or the file region sent at the end.
            framing = ResponseBody.Framing.VOID;
            if (sendfile != null && contentLength == -1) {
                contentLength = sendfileEnd - sendfileStart;
            }
            if (entityBody && contentLength != -1) {
                headers.setValue("Content-Length").setLong(contentLength);
            }
        } else if (contentLength != -1) {
            headers.setValue("Content-Length").setLong(contentLength);
            framing = ResponseBody.Framing.IDENTITY;
        } else if (http11 && !closeAsked) {
            headers.addValue("Transfer-Encoding").setString("chunked");
            framing = ResponseBody.Framing.CHUNKED;
        } else {
            framing = ResponseBody.Framing.IDENTITY;
            delimited = false;
        }
        if (headers.getValue("Date") == null) {
            headers.addValue("Date").setString(HttpDate.nowText(System.currentTimeMillis()));
        }
        if (!delimited || closeAsked) {
            keepAlive = false;
        }
        if (request.hasExpectation() && !isRequestBodyFullyRead() && (status < 200 || status > 299)) {
            // The client may or may not send the body it announced: only a close is unambiguous.
            swallowInput = false;
            keepAlive = false;
        }
        long announced = request.getContentLengthLong();
        if (announced > 0 && protocol.getMaxSwallowSize() > -1
                && announced - request.getBytesRead() > protocol.getMaxSwallowSize()) {
            keepAlive = false;
        }
        if (keepAlive && statusDropsConnection(status)) {
            keepAlive = false;
        }
        if (!keepAlive) {
            if (!closeAsked) {
                headers.addValue("Connection").setString("close");
            }
        } else if (!getErrorState().isError()) {
            if (!http11) {
                headers.addValue("Connection").setString("keep-alive");
            }
            keepAliveFields(headers);
        }
        String server = protocol.getServer();
        if (server == null) {
            if (protocol.getServerRemoveAppProvidedValues()) {
                headers.removeHeader("server");
            }
        } else {
            headers.setValue("Server").setString(server);
        }
        this.head.render(status, headers);
        body.start(exchange, framing);
        exchange.write(this.head.bytes(), 0, this.head.length());
        if (compress) {
            body.compress();
        }
    }

    private final class ExchangeOutput implements OutputBuffer {
        @Override
        public int doWrite(ByteBuffer chunk) throws IOException {
            int n = chunk.remaining();
            if (swallowResponse) {
                chunk.position(chunk.limit());
                return n;
            }
            if (!response.isCommitted()) {
                response.action(ActionCode.COMMIT, null);
            }
            body.write(chunk);
            bytesWritten += n;
            return n;
        }

        @Override
        public long getBytesWritten() {
            return bytesWritten;
        }
    }

    @Override
    protected void flush() throws IOException {
        if (swallowResponse) {
            return;
        }
        body.flushCompressed();
        exchange.flush();
    }

    @Override
    protected void finishResponse() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (sendfile != null && !swallowResponse) {
            String file = sendfile;
            sendfile = null;
            protocol.countSendfile(); // before: once the bytes are out, the client may look
            SendfileBody.send(exchange, file, sendfileStart, sendfileEnd);
        }
        if (!swallowResponse) {
            // No flush: complete() hands the last bytes over together with the end of the
            // exchange, one wake-up of the loop instead of two.
            body.finish();
        }
    }

    @Override
    protected void setSwallowResponse() {
        swallowResponse = true;
    }

    @Override
    protected void earlyHints() {
        // 103 is optional; clients gain little from it over HTTP/1.1.
    }

    @Override
    protected boolean flushBufferedWrite() {
        return false; // writes are handed to the loop as they are made
    }

    @Override
    protected ServletConnection getServletConnection() {
        return new ServletConnectionImpl(Integer.toHexString(System.identityHashCode(exchange)),
                http11 ? "HTTP/1.1" : "HTTP/1.0", "", false);
    }

    // ---- ending -----------------------------------------------------------------------------

    private void endRequest() {
        if (getErrorState().isIoAllowed()) {
            try {
                action(ActionCode.COMMIT, null);
                finishResponse();
            } catch (IOException e) {
                setErrorState(ErrorState.CLOSE_CONNECTION_NOW, e);
            }
        }
        if (getErrorState().isIoAllowed() && keepAlive && swallowInput && replayedBody == null) {
            swallowRest();
        }
    }

    /** Reads and drops what the app left of the body, up to maxSwallowSize, to keep the connection. */
    private void swallowRest() {
        long budget = protocol.getMaxSwallowSize();
        try {
            if (!exchange.bodyFinished()) {
                exchange.flush(); // the client may wait for the answer before sending the rest
            }
            while (!exchange.bodyFinished() && (budget < 0 || budget > 0)) {
                int n = exchange.read(readBuffer, 0, readBuffer.length);
                if (n < 0) {
                    break;
                }
                if (budget > 0) {
                    budget = Math.max(0, budget - n);
                }
            }
        } catch (IOException e) {
            // The answer is complete: a body that broke (or stalled) after it closes the
            // connection once the answer is out; only a connection that is gone is aborted.
            setErrorState(exchange.failed() ? ErrorState.CLOSE_CONNECTION_NOW : ErrorState.CLOSE_CLEAN, e);
        }
    }

    /** Hands the connection back to its loop and this processor back to the pool. */
    private void end() {
        if (released) {
            return;
        }
        released = true;
        generation++;
        OffloadedExchange x = exchange;
        ErrorState error = getErrorState();
        boolean close = !keepAlive || error.isError() || protocol.isPaused();
        if (error.isConnectionIoAllowed() && (finished || swallowResponse)) {
            x.complete(close);
        } else {
            x.abort();
        }
        recycle();
        protocol.release(this);
    }

    @Override
    public void recycle() {
        request.recycle();
        response.recycle();
        body.recycle();
        exchange = null;
        replayedBody = null;
        sendfile = null;
        swallowResponse = false;
        finished = false;
        bytesWritten = 0;
        super.recycle();
    }

    // ---- events without a socket wrapper ----------------------------------------------------

    @Override
    protected void processSocketEvent(SocketEvent event, boolean dispatch) {
        if (event == SocketEvent.ERROR && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) == null) {
            // AbstractProcessor.dispatch would ask the absent socket wrapper for the error.
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IOException("connection failed"));
        }
        int forGeneration = generation;
        execute(() -> run(event, forGeneration));
    }

    /**
     * A readiness callback bound to the request that registered it, not read when it fires: the
     * loop may run one that was on its way as the request ended, when this pooled processor
     * already serves the next.
     */
    private record Readiness(RingsideProcessor processor, SocketEvent event, int generation) implements Runnable {
        @Override
        public void run() {
            processor.execute(() -> processor.run(event, generation));
        }
    }

    @Override
    protected void execute(Runnable task) {
        try {
            protocol.getExecutor().execute(task);
        } catch (RejectedExecutionException e) {
            // The executor is stopping or saturated. The event must not be lost, and this may be
            // a loop thread (a readiness callback), which must never run container code.
            Thread.ofVirtual().name("ringside-rejected-event").start(task);
        }
    }

    @Override
    protected void executeDispatches() {
        Iterator<DispatchType> dispatches = getIteratorAndClearDispatches();
        while (dispatches != null && dispatches.hasNext()) {
            processSocketEvent(dispatches.next().getSocketStatus(), true);
        }
    }

    @Override
    public void timeoutAsync(long now) {
        if (exchange != null && exchange.failed() && (request.getReadListener() != null || response.getWriteListener() != null)) {
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IOException("the client went away"));
            processSocketEvent(SocketEvent.ERROR, true);
            return;
        }
        super.timeoutAsync(now);
    }

    @Override
    public void pause() {
        // Nothing to do: each processor serves one request; the protocol stops taking new ones.
    }

    @Override
    public ByteBuffer getLeftoverInput() {
        return null;
    }

    @Override
    protected Log getLog() {
        return log;
    }

    private static boolean statusDropsConnection(int status) {
        return status == 400 || status == 408 || status == 411 || status == 413 || status == 414
                || status == 500 || status == 503 || status == 501;
    }

    /**
     * As Http11Processor does (its {@code useKeepAliveResponseHeader}, on by default): a client
     * whose Connection field asked for keep-alive is told how long an idle connection is kept,
     * and on HTTP/1.1 also {@code Connection: keep-alive}.
     */
    private void keepAliveFields(MimeHeaders headers) {
        int timeout = protocol.getKeepAliveTimeout();
        if (!protocol.getUseKeepAliveResponseHeader() || timeout <= 0
                || !hasToken(request.getMimeHeaders(), "keep-alive")) {
            return;
        }
        headers.setValue("Keep-Alive").setString("timeout=" + timeout / 1000L);
        if (http11) {
            MessageBytes connection = headers.getValue("Connection");
            if (connection == null) {
                headers.addValue("Connection").setString("keep-alive");
            } else {
                connection.setString(connection.getString() + ", keep-alive");
            }
        }
    }

    private static boolean hasToken(MimeHeaders headers, String token) {
        MessageBytes connection = headers.getValue("Connection");
        if (connection == null) {
            return false;
        }
        for (String part : connection.toString().split(",")) {
            if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }
}
