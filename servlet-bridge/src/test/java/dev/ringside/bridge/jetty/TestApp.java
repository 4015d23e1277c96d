package dev.ringside.bridge.jetty;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

import java.io.IOException;
import java.util.EnumSet;
import java.util.zip.CRC32;

/**
 * A small servlet application that knows nothing of Ringside: what the connector test asks of the
 * container (servlets, a filter, a session, async with and without a timeout, ReadListener and
 * WriteListener, error pages), and the request and its connection as Jetty describes them.
 */
final class TestApp {
    private TestApp() {
    }

    static ServletContextHandler context() {
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
        ctx.setContextPath("/");
        ctx.addServlet(new ServletHolder(new Info()), "/info");
        ctx.addServlet(new ServletHolder(new ConnectionInfo()), "/connection");
        ctx.addServlet(new ServletHolder(new Echo()), "/echo");
        ctx.addServlet(new ServletHolder(new Stream()), "/stream");
        ctx.addServlet(new ServletHolder(new Counter()), "/counter");
        ctx.addServlet(new ServletHolder(new Boom()), "/boom");
        ctx.addServlet(new ServletHolder(new ErrorPage()), "/error-page");
        ServletHolder async = new ServletHolder(new Async());
        async.setAsyncSupported(true);
        ctx.addServlet(async, "/async");
        ServletHolder readListener = new ServletHolder(new ReadListenerUpload());
        readListener.setAsyncSupported(true);
        ctx.addServlet(readListener, "/read-listener");
        ServletHolder writeListener = new ServletHolder(new WriteListenerDownload());
        writeListener.setAsyncSupported(true);
        ctx.addServlet(writeListener, "/write-listener");
        FilterHolder filter = new FilterHolder(new Stamp());
        filter.setAsyncSupported(true);
        ctx.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.addErrorPage(404, "/error-page");
        errors.addErrorPage(IllegalStateException.class, "/error-page");
        ctx.setErrorHandler(errors);
        return ctx;
    }

    /** An answer of {@link Info} or {@link ConnectionInfo}: its "name=value" lines. */
    static java.util.Map<String, String> lines(String body) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    /** The request as the servlet API shows it, one "name=value" per line. */
    static final class Info extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            StringBuilder b = new StringBuilder();
            b.append("method=").append(req.getMethod()).append('\n');
            b.append("uri=").append(req.getRequestURI()).append('\n');
            b.append("query=").append(req.getQueryString()).append('\n');
            b.append("param=").append(req.getParameter("p")).append('\n');
            b.append("header=").append(req.getHeader("X-Test")).append('\n');
            b.append("protocol=").append(req.getProtocol()).append('\n');
            b.append("remoteAddr=").append(req.getRemoteAddr()).append('\n');
            b.append("remotePort=").append(req.getRemotePort()).append('\n');
            b.append("localPort=").append(req.getLocalPort()).append('\n');
            b.append("secure=").append(req.isSecure()).append('\n');
            b.append("scheme=").append(req.getScheme()).append('\n');
            b.append("serverName=").append(req.getServerName()).append('\n');
            b.append("serverPort=").append(req.getServerPort()).append('\n');
            b.append("filtered=").append(req.getAttribute("filtered")).append('\n');
            b.append("virtualThread=").append(Thread.currentThread().isVirtual()).append('\n');
            resp.getWriter().print(b);
        }
    }

    /** The connection a request came on, as the last {@link ConnectionInfo} saw it (a test closes it between requests). */
    static final java.util.concurrent.atomic.AtomicReference<Connection> lastConnection = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * The request's connection as Jetty's core API shows it under the servlet (its {@link Connection} and
     * {@link EndPoint}), one "name=value" per line. {@code idle=ms} sets the endpoint's idle timeout
     * first; {@code close=true} closes the connection instead of answering; {@code io=true} also says
     * what reading from the endpoint does (on Jetty's own connector that would steal the next request).
     */
    static final class ConnectionInfo extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Connection c = ServletContextRequest.getServletContextRequest(req).getConnectionMetaData().getConnection();
            lastConnection.set(c);
            EndPoint e = c.getEndPoint();
            if (req.getParameter("idle") != null) {
                e.setIdleTimeout(Long.parseLong(req.getParameter("idle")));
            }
            if ("true".equals(req.getParameter("close"))) {
                c.close();
                return;
            }
            resp.setContentType("text/plain");
            StringBuilder b = new StringBuilder();
            b.append("connection=").append(Integer.toHexString(System.identityHashCode(c))).append('\n');
            b.append("endPointsConnection=").append(e.getConnection() == c).append('\n');
            b.append("local=").append(e.getLocalSocketAddress()).append('\n');
            b.append("remote=").append(e.getRemoteSocketAddress()).append('\n');
            b.append("open=").append(e.isOpen()).append('\n');
            b.append("secure=").append(e.isSecure()).append('\n');
            b.append("sslSessionData=").append(e.getSslSessionData()).append('\n');
            b.append("idleTimeout=").append(e.getIdleTimeout()).append('\n');
            b.append("created=").append(e.getCreatedTimeStamp()).append('\n');
            b.append("connectionCreated=").append(c.getCreatedTimeStamp()).append('\n');
            b.append("messagesIn=").append(c.getMessagesIn()).append('\n');
            if ("true".equals(req.getParameter("io"))) {
                b.append("fill=").append(attempt(() -> e.fill(java.nio.ByteBuffer.allocate(1)))).append('\n');
                b.append("flush=").append(attempt(() -> e.flush(java.nio.ByteBuffer.allocate(1)))).append('\n');
                b.append("fillInterested=").append(attempt(() -> {
                    e.fillInterested(org.eclipse.jetty.util.Callback.NOOP);
                    return null;
                })).append('\n');
                b.append("upgrade=").append(attempt(() -> {
                    e.upgrade(c);
                    return null;
                })).append('\n');
            }
            resp.getWriter().print(b);
        }

        private interface Attempt {
            Object run() throws Exception;
        }

        /** What the call returned, or the simple name of what it threw. */
        private static String attempt(Attempt a) {
            try {
                return String.valueOf(a.run());
            } catch (Exception x) {
                return x.getClass().getSimpleName();
            }
        }
    }

    /** Reads the whole body with a blocking stream and sends it back with its length. */
    static final class Echo extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = req.getInputStream().readAllBytes();
            resp.setContentType("application/octet-stream");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }

    /** {@code size} bytes of a pattern, in 8 KiB writes; with {@code cl=true} a Content-Length first. */
    static final class Stream extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int size = Integer.parseInt(req.getParameter("size"));
            if ("true".equals(req.getParameter("cl"))) {
                resp.setContentLengthLong(size);
            }
            byte[] piece = pattern(26 * 315); // a multiple of 26 keeps the pattern continuous
            ServletOutputStream out = resp.getOutputStream();
            for (int sent = 0; sent < size; sent += piece.length) {
                out.write(piece, 0, Math.min(piece.length, size - sent));
            }
        }
    }

    static final class Counter extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            Integer n = (Integer) session.getAttribute("n");
            n = n == null ? 1 : n + 1;
            session.setAttribute("n", n);
            resp.getWriter().print(n);
        }
    }

    static final class Boom extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            throw new IllegalStateException("boom");
        }
    }

    static final class ErrorPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("error page: " + req.getAttribute("jakarta.servlet.error.status_code")
                    + " " + req.getAttribute("jakarta.servlet.error.request_uri"));
        }
    }

    /** What the last timed async request was told by an {@code onError}, for a test to read. */
    static final java.util.concurrent.atomic.AtomicReference<Throwable> asyncError = new java.util.concurrent.atomic.AtomicReference<>();

    /** Completes from another thread, or ({@code ?timeout}) lets the container time it out. */
    static final class Async extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext ac = req.startAsync();
            if (req.getParameter("timeout") != null) {
                ac.setTimeout(Long.parseLong(req.getParameter("timeout")));
                ac.addListener(new AsyncListener() {
                    @Override
                    public void onTimeout(AsyncEvent event) throws IOException {
                        event.getAsyncContext().getResponse().getWriter().print("timed out");
                        event.getAsyncContext().complete();
                    }

                    @Override
                    public void onComplete(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        asyncError.set(event.getThrowable());
                        event.getAsyncContext().complete();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
                return;
            }
            Thread.ofPlatform().start(() -> {
                try {
                    ac.getResponse().getWriter().print("async done on another thread");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                ac.complete();
            });
        }
    }

    /** Reads the body with a ReadListener and answers its length and CRC32. */
    static final class ReadListenerUpload extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            AsyncContext ac = req.startAsync();
            ServletInputStream in = req.getInputStream();
            CRC32 crc = new CRC32();
            long[] count = {0};
            in.setReadListener(new ReadListener() {
                private final byte[] buf = new byte[4096];

                @Override
                public void onDataAvailable() throws IOException {
                    while (in.isReady()) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        crc.update(buf, 0, n);
                        count[0] += n;
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    ac.getResponse().getWriter().print(count[0] + " " + crc.getValue());
                    ac.complete();
                }

                @Override
                public void onError(Throwable t) {
                    HttpServletResponse r = (HttpServletResponse) ac.getResponse();
                    r.setStatus(408);
                    try {
                        r.getWriter().print("read failed: " + t.getClass().getSimpleName());
                    } catch (IOException ignored) {
                        // the client is gone
                    }
                    ac.complete();
                }
            });
        }
    }

    /** Writes {@code size} pattern bytes with a WriteListener. */
    static final class WriteListenerDownload extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int size = Integer.parseInt(req.getParameter("size"));
            AsyncContext ac = req.startAsync();
            ServletOutputStream out = resp.getOutputStream();
            byte[] piece = pattern(26 * 400);
            out.setWriteListener(new WriteListener() {
                private int sent;

                @Override
                public void onWritePossible() throws IOException {
                    while (out.isReady()) {
                        if (sent >= size) {
                            ac.complete();
                            return;
                        }
                        int n = Math.min(piece.length, size - sent);
                        out.write(piece, 0, n);
                        sent += n;
                    }
                }

                @Override
                public void onError(Throwable t) {
                    ac.complete();
                }
            });
        }
    }

    /** Marks every request, and its response, on the way through. */
    static final class Stamp implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain) throws IOException, ServletException {
            req.setAttribute("filtered", "yes");
            ((HttpServletResponse) resp).setHeader("X-Filtered", "yes");
            chain.doFilter(req, resp);
        }
    }
}
