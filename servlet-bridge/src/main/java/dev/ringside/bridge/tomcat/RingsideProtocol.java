package dev.ringside.bridge.tomcat;

import dev.ringside.bridge.loop.LoopHandler;
import dev.ringside.bridge.loop.PublishedSettings;
import dev.ringside.uring.http.HttpDate;
import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.http.OffloadedExchange;
import dev.ringside.uring.http.RequestHandler;
import dev.ringside.uring.server.HttpServer;
import org.apache.coyote.RequestGroupInfo;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.collections.SynchronizedStack;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A Coyote protocol handler whose port is served by Ringside's io_uring loops.
 *
 * <p>It is Tomcat's own {@link Http11NioProtocol} underneath, so everything that configures or
 * inspects a connector (server.xml attributes, Spring Boot's customizers, JMX, {@code
 * getLocalPort()}) keeps working. The NIO endpoint is moved to an ephemeral loopback port:
 * it still owns the executor (maxThreads, minSpareThreads, or virtual threads), the async
 * timeout thread, and serves what Ringside passes through (upgrades). The public address is
 * Ringside's. With {@code SSLEnabled} the handler is plain Tomcat: TLS stays Tomcat's.
 */
public class RingsideProtocol extends Http11NioProtocol {
    private static final Log log = LogFactory.getLog(RingsideProtocol.class);

    private final SynchronizedStack<RingsideProcessor> processors = new SynchronizedStack<>();
    private final ConcurrentHashMap<String, String> localNames = new ConcurrentHashMap<>();
    private final TomcatStaticApps staticApps = new TomcatStaticApps();
    private final java.util.concurrent.atomic.LongAdder sendfileResponses = new java.util.concurrent.atomic.LongAdder();
    private InetAddress publicAddress;
    private int publicPort = -1;
    /** Init has moved Tomcat's endpoint to loopback: address and port now mean Ringside's. */
    private boolean moved;
    private volatile HttpServer server;
    /**
     * One virtual thread per request, as for Jetty. The executor still runs what Tomcat
     * dispatches itself (async dispatches, listener events, timeouts).
     */
    private static final Executor VIRTUAL_THREADS = PublishedSettings.virtualThreads("ringside-tomcat");
    private volatile boolean virtualDispatch = PublishedSettings.virtualDispatch();

    private boolean ringside() {
        return !isSSLEnabled();
    }

    @Override
    public void init() throws Exception {
        if (ringside() && !moved) { // once: a second init must not take loopback for the public address
            publicAddress = super.getAddress();
            publicPort = super.getPort();
            super.setAddress(InetAddress.getLoopbackAddress());
            super.setPort(0);
            moved = true;
        }
        super.init();
    }

    @Override
    public void start() throws Exception {
        super.start();
        if (!moved) {
            return;
        }
        InetSocketAddress address = publicAddress == null
                ? new InetSocketAddress(publicPort) : new InetSocketAddress(publicAddress, publicPort);
        HttpServerConfig config = RingsideSettings.serverConfig(this, address);
        try {
            server = HttpServer.start(config, loop -> handler());
        } catch (Exception e) {
            super.stop();
            throw e;
        }
        log.info("Ringside serves " + server.address() + " for Tomcat (" + server.loops() + " io_uring loops; "
                + "Tomcat's own endpoint kept on " + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + super.getLocalPort() + ")");
    }

    @Override
    public void stop() throws Exception {
        HttpServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        super.stop();
    }

    @Override
    public void setPort(int port) {
        if (moved) {
            publicPort = port; // takes effect at the next start, as Tomcat's would after a rebind
        } else {
            super.setPort(port);
        }
    }

    @Override
    public int getPort() {
        return moved ? publicPort : super.getPort();
    }

    /** What Tomcat's names and logs show: the public port, not the loopback endpoint's. */
    @Override
    public int getPortWithOffset() {
        return moved ? (publicPort > 0 ? publicPort + getPortOffset() : publicPort) : super.getPortWithOffset();
    }

    @Override
    public InetAddress getAddress() {
        return moved ? publicAddress : super.getAddress();
    }

    @Override
    public int getLocalPort() {
        if (!moved) {
            return super.getLocalPort();
        }
        HttpServer s = server;
        return s != null ? s.port() : -1;
    }

    /** Responses whose body was Tomcat's sendfile hand-off, sent from the file's mapping. */
    public long sendfileResponses() {
        return sendfileResponses.sum();
    }

    void countSendfile() {
        sendfileResponses.increment();
    }

    /** The loopback port of Tomcat's own endpoint (what Ringside passes upgrades to). */
    public int tomcatPort() {
        return super.getLocalPort();
    }

    /** The runtime's counters, or null when Ringside does not serve this connector. */
    public HttpServerStats ringsideStats() {
        HttpServer s = server;
        return s == null ? null : s.stats();
    }

    @Override
    protected String getNamePrefix() {
        return "http-ringside";
    }

    // ---- serving ----------------------------------------------------------------------------

    private RequestHandler handler() {
        InetSocketAddress tomcat = new InetSocketAddress(InetAddress.getLoopbackAddress(), super.getLocalPort());
        // h2c is tunnelled only to a connector that has it (an <UpgradeProtocol> of HTTP/2).
        boolean h2c = getUpgradeProtocol("h2c") != null;
        return new LoopHandler(tomcat, h2c, staticApps.apps(), exchange -> dispatch(exchange.offload()));
    }

    /**
     * Whether a request starts on a virtual thread of its own (the default) or on the executor
     * ({@code false}); as a connector attribute, {@code virtualDispatch="false"} in server.xml.
     */
    public void setVirtualDispatch(boolean virtual) {
        virtualDispatch = virtual;
    }

    public boolean isVirtualDispatch() {
        return virtualDispatch;
    }

    TomcatStaticApps staticApps() {
        return staticApps;
    }

    /** On the loop: hands the exchange to a container thread. */
    private void dispatch(OffloadedExchange x) {
        Executor executor = virtualDispatch ? VIRTUAL_THREADS : getExecutor();
        try {
            executor.execute(() -> serve(x));
        } catch (RejectedExecutionException e) {
            unavailable(x);
        }
    }

    /** On the container's thread: the processor pool's lock is taken here, never on the loop. */
    private void serve(OffloadedExchange x) {
        RingsideProcessor p = processors.pop();
        if (p == null) {
            p = new RingsideProcessor(this);
        }
        p.start(x);
    }

    /**
     * The executor is full or stopping: 503 and a close, in Tomcat's words, as the Jetty adapter
     * answers (Tomcat's own endpoint closes such a connection without a word). Nothing of Tomcat's
     * has run and the exchange's halves are free, so the write does not wait on the loop thread.
     */
    private static void unavailable(OffloadedExchange x) {
        byte[] answer = ("HTTP/1.1 503 \r\nContent-Length: 0\r\nDate: " + HttpDate.nowText(System.currentTimeMillis())
                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            x.write(answer, 0, answer.length);
            x.complete(true);
        } catch (java.io.IOException gone) {
            x.abort();
        }
    }

    void release(RingsideProcessor p) {
        processors.push(p);
    }

    RequestGroupInfo requestGroup() {
        return (RequestGroupInfo) getHandler().getGlobal();
    }

    String localName(String address) {
        return localNames.computeIfAbsent(address, a -> {
            try {
                return InetAddress.getByName(a).getHostName();
            } catch (java.io.IOException e) {
                return a;
            }
        });
    }

    long readTimeoutNanos() {
        int ms = getConnectionUploadTimeout() > 0 && !getDisableUploadTimeout()
                ? getConnectionUploadTimeout() : getConnectionTimeout();
        return ms > 0 ? TimeUnit.MILLISECONDS.toNanos(ms) : 0;
    }

    long writeTimeoutNanos() {
        int ms = getConnectionTimeout();
        return ms > 0 ? TimeUnit.MILLISECONDS.toNanos(ms) : 0;
    }
}
