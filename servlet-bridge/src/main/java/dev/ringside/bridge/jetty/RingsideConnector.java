package dev.ringside.bridge.jetty;

import dev.ringside.bridge.loop.LoopHandler;
import dev.ringside.bridge.loop.PublishedSettings;
import dev.ringside.uring.http.HttpExchange;
import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.ResponseStyle;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.http.OffloadedExchange;
import dev.ringside.uring.server.HttpServer;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A Jetty 12 connector whose socket work is Ringside's: it stands where a plaintext
 * {@code ServerConnector} would (same host, port, idle timeout and {@link HttpConnectionFactory}),
 * and every request it receives is handed to Jetty's own {@code HttpChannel} through a
 * {@link RingsideHttpStream}, as Jetty's HTTP/2 and FastCGI connections do. The handlers (ee10/ee11
 * servlets, filters, sessions, security, error pages) run unchanged on the server's executor.
 *
 * <p>It has no acceptor threads: the Ringside loops accept. {@link #open()} starts the loops, so the
 * port is bound early as {@code Server.isOpenEarly()} expects; requests that arrive before the
 * connector is started wait in a queue, as connections would wait in a listen backlog.
 *
 * <p>Protocol upgrades (WebSocket; h2c only when this connector has an h2c factory) are not
 * Ringside's: the loop tunnels such a connection to an {@link UpgradeConnector}, Jetty's own
 * connector on a loopback port that this connector owns, starts and stops.
 */
public class RingsideConnector extends AbstractNetworkConnector {
    private static final Logger LOG = LoggerFactory.getLogger(RingsideConnector.class);
    private static final byte[] UNAVAILABLE = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /** One virtual thread per request; a fixed name, so that starting one allocates no String. */
    private static final Executor VIRTUAL_THREADS = PublishedSettings.virtualThreads("ringside-jetty");

    private final HttpServerConfig runtimeConfig;
    private final Queue<OffloadedExchange> beforeStart = new ConcurrentLinkedQueue<>();
    /**
     * Requests Jetty is still handling, so that stopping can tell their channels the connection
     * closed (as Jetty's connectors do through the endpoints they track): an async request
     * waiting for an event would otherwise wait for its own timeout.
     */
    private final Set<RingsideHttpStream> inFlight = ConcurrentHashMap.newKeySet();
    private volatile HttpServer httpServer;
    private volatile boolean dispatching;
    private volatile HttpServerStats lastStats = new HttpServerStats();
    private HttpConfiguration httpConfiguration;
    private final JettyStaticApps staticApps = new JettyStaticApps();
    private volatile Scheduler.Task rescan;
    private UpgradeConnector upgrades;
    /** Whether a lone {@code Upgrade: h2c} goes to Jetty (it has h2c) or is served as HTTP/1.1. */
    private boolean h2cUpgrades;
    private volatile boolean virtualDispatch = true;

    /** One loop per processor and Ringside's default pools; HTTP/1.1 with a default {@link HttpConfiguration}. */
    public RingsideConnector(Server server) {
        this(server, null, new HttpConnectionFactory());
    }

    /**
     * @param runtimeConfig loops, pools and limits of the Ringside server (its address is replaced by
     *                      this connector's host and port, its keep-alive timeout by the idle timeout);
     *                      null for the defaults
     * @param factories     must hold an {@link HttpConnectionFactory}: its {@link HttpConfiguration}
     *                      is the one every request sees
     */
    public RingsideConnector(Server server, HttpServerConfig runtimeConfig, ConnectionFactory... factories) {
        this(server, null, null, null, runtimeConfig, factories);
    }

    /** The shape of {@code ServerConnector}'s full constructor, for a connector put in its place. */
    public RingsideConnector(Server server, Executor executor, Scheduler scheduler, ByteBufferPool bufferPool,
                             HttpServerConfig runtimeConfig, ConnectionFactory... factories) {
        super(server, executor, scheduler, bufferPool, 0, factories);
        this.runtimeConfig = runtimeConfig != null ? runtimeConfig
                : HttpServerConfig.defaults(new InetSocketAddress(0));
    }

    /** Starts the Ringside loops on host:port. Idempotent. */
    @Override
    public void open() throws IOException {
        if (httpServer != null) {
            return;
        }
        HttpConnectionFactory http = getConnectionFactory(HttpConnectionFactory.class);
        if (http == null) {
            throw new IllegalStateException("RingsideConnector serves HTTP/1.1 only and needs an HttpConnectionFactory: " + this);
        }
        httpConfiguration = http.getHttpConfiguration();
        openUpgrades();
        InetSocketAddress address = getHost() == null ? new InetSocketAddress(getPort())
                : new InetSocketAddress(getHost(), getPort());
        // What Jetty says itself (HttpConfiguration's sendServerVersion, sendDateHeader), in its words.
        HttpServerConfig config = runtimeConfig.withAddress(address).withServerHeader(
                httpConfiguration.getSendServerVersion() ? HttpConfiguration.SERVER_VERSION : null)
                .withStyle(ResponseStyle.jetty(httpConfiguration.getSendDateHeader()));
        if (getIdleTimeout() > 0) {
            // Jetty's idle timeout also ends a write the client does not take.
            config = config.withTimeouts(Duration.ofMillis(getIdleTimeout()), config.headerTimeout())
                    .withSendTimeout(Duration.ofMillis(getIdleTimeout()));
        }
        try {
            InetSocketAddress upgradesTo = upgrades.address();
            httpServer = HttpServer.start(config,
                    loop -> new LoopHandler(upgradesTo, h2cUpgrades, staticApps.apps(), this::onRequest));
        } catch (Exception | LinkageError e) {
            upgrades.close();
            throw new IOException("Ringside could not serve HTTP on " + address + " with io_uring: " + e, e);
        }
        LOG.info("Ringside serves {} for Jetty ({} io_uring loops; upgrades go to Jetty's own connector on {}:{})",
                httpServer.address(), httpServer.loops(), upgrades.getHost(), upgrades.getLocalPort());
        super.open();
    }

    /**
     * Binds the loopback connector upgrades are tunnelled to, made at the first open from the
     * factories this connector has then, and managed from then on: it starts and stops with this one.
     */
    private void openUpgrades() throws IOException {
        if (upgrades == null) {
            upgrades = new UpgradeConnector(this);
            h2cUpgrades = getConnectionFactory("h2c") != null;
            addBean(upgrades, true);
        }
        upgrades.open(this);
    }

    /** Stops the loops: in-flight responses get the runtime's shutdown grace, then connections close. */
    @Override
    public void close() {
        HttpServer s = httpServer;
        if (s == null) {
            return;
        }
        dispatching = false;
        try {
            s.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpServer = null;
        lastStats = s.stats();
        upgrades.close(); // the loops' tunnels are closed: nothing more connects to it
        for (OffloadedExchange x; (x = beforeStart.poll()) != null; ) {
            x.abort();
        }
        // The loops are gone (the grace period is over): whatever Jetty still handles has lost its
        // connection. Its reads and writes fail already; a request waiting for nothing learns it here.
        for (RingsideHttpStream stream : inFlight) {
            Runnable task = stream.connectionClosed();
            if (task != null) {
                execute(task);
            }
        }
        super.close();
    }

    @Override
    public boolean isOpen() {
        return httpServer != null;
    }

    @Override
    public int getLocalPort() {
        HttpServer s = httpServer;
        return s == null ? -1 : s.port();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        staticApps.scan(getServer()); // Jetty starts its handlers (and deploys its webapps) first
        rescanLater();
        dispatching = true;
        dispatchWaiting();
    }

    /** Reads the handler tree now, as the rescan each second does (tests deploy and undeploy faster). */
    void scanHandlersNow() {
        staticApps.scan(getServer());
    }

    /**
     * The handler tree is read again every second: a context deployed or stopped since, or virtual
     * hosts that appear, are seen within that time whether or not any request reaches Jetty.
     */
    private void rescanLater() {
        rescan = getScheduler().schedule(() -> {
            if (isStarted()) {
                staticApps.scan(getServer());
                rescanLater();
            }
        }, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = rescan;
        if (task != null) {
            task.cancel();
        }
        dispatching = false;
        super.doStop();
    }

    /** Never called: this connector has no acceptor threads, the loops accept. */
    @Override
    protected void accept(int acceptorID) {
        throw new UnsupportedOperationException("Ringside's loops accept connections");
    }

    @Override
    public Object getTransport() {
        return httpServer;
    }

    /** The runtime's counters (every loop's, added up); after {@link #close()}, the last ones. */
    public HttpServerStats stats() {
        HttpServer s = httpServer;
        return s == null ? lastStats : s.stats();
    }

    /**
     * Whether a request runs on a virtual thread of its own (the default) or on the server's pool
     * ({@code false}); a pool configured with virtual threads (Jetty's {@code useVirtualThreads}) is
     * used either way. Measured on one core ({@code docs/benchmarks.md}): a pool thread costs every
     * request a futex wake-up from the loop and a park, about 2.5 futex calls and one context switch
     * per request; virtual threads queue on one carrier, which wakes once for a batch (0.3 and 0.2).
     */
    public void setVirtualDispatch(boolean virtual) {
        virtualDispatch = virtual;
    }

    public boolean isVirtualDispatch() {
        return virtualDispatch;
    }

    /**
     * Where requests and their content callbacks run: the pool's virtual threads when it is
     * configured with them (as Jetty's own connections choose for blocking handlers), else a
     * virtual thread each or the pool itself, as {@link #setVirtualDispatch} says.
     */
    Executor requestExecutor() {
        Executor pool = getExecutor();
        Executor virtual = VirtualThreads.getVirtualThreadsExecutor(pool);
        if (virtual != null) {
            return virtual;
        }
        return virtualDispatch ? VIRTUAL_THREADS : pool;
    }

    /** For tests: whether the static path has read {@code context} since it started. */
    boolean staticPathHasRead(org.eclipse.jetty.server.handler.ContextHandler context) {
        return staticApps.hasRead(context);
    }

    /** Runs {@code task} on the server's pool, or on this thread if the pool refuses it (it is stopping). */
    void execute(Runnable task) {
        try {
            getExecutor().execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    void handling(RingsideHttpStream stream) {
        inFlight.add(stream);
    }

    void handled(RingsideHttpStream stream) {
        inFlight.remove(stream);
    }

    HttpConfiguration httpConfiguration() {
        return httpConfiguration;
    }

    /** On a loop thread: take the request off the loop and let a Jetty thread serve it. */
    private void onRequest(HttpExchange exchange) {
        OffloadedExchange x = exchange.offload();
        RingsideEndPoint.attach(this, exchange, x);
        if (dispatching) {
            dispatch(x);
            return;
        }
        beforeStart.add(x);
        if (dispatching) { // started while we queued: doStart may have drained before our add
            dispatchWaiting();
        }
    }

    private void dispatchWaiting() {
        for (OffloadedExchange x; (x = beforeStart.poll()) != null; ) {
            dispatch(x);
        }
    }

    private void dispatch(OffloadedExchange x) {
        RingsideHttpStream stream = new RingsideHttpStream(this, x);
        try {
            requestExecutor().execute(stream::handle);
        } catch (RejectedExecutionException e) {
            // The pool is full or stopping. Nothing of Jetty's has run; the halves are free, so this
            // write cannot wait, and is safe on the loop thread.
            LOG.debug("executor rejected a request: 503", e);
            try {
                x.write(UNAVAILABLE, 0, UNAVAILABLE.length);
                x.complete(true);
            } catch (IOException gone) {
                x.abort();
            }
        }
    }
}
