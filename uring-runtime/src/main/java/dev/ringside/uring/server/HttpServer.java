package dev.ringside.uring.server;

import dev.ringside.uring.events.LoopActivityEvent;
import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.HttpServerDriver;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.http.RequestHandler;
import dev.ringside.uring.loop.EventLoop;
import dev.ringside.uring.ring.RingFeatures;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A group of event loops serving HTTP on one address: one loop per thread, each with its own
 * ring, SO_REUSEPORT listener, pools, connection table and handler.
 */
public final class HttpServer implements AutoCloseable {
    private final HttpServerConfig config;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<HttpServerDriver> drivers = new ArrayList<>();
    /** The loops' threads for what may block on disk; daemons, so a file that never opens keeps no JVM alive. */
    private final ExecutorService fileThreads;
    private InetSocketAddress boundAddress;
    private HttpServerJmx jmx;

    /** Each loop's dev.ringside.LoopActivity, once a period, on JFR's thread. */
    private final Runnable activity = new Runnable() {
        private final java.util.Map<EventLoop, long[]> last = new java.util.IdentityHashMap<>();

        @Override
        public void run() {
            for (EventLoop l : loops) {
                LoopActivityEvent e = new LoopActivityEvent();
                l.activitySince(last.computeIfAbsent(l, k -> new long[4]), e);
                e.commit();
            }
        }
    };

    private HttpServer(HttpServerConfig config) {
        this.config = config;
        this.fileThreads = Executors.newFixedThreadPool(config.fileThreads(),
                Thread.ofPlatform().name("ringside-files-", 0).daemon(true).factory());
    }

    /**
     * Starts {@code config.threads()} loops. With port 0 the first loop picks a port and the
     * others bind the same one.
     */
    public static HttpServer start(HttpServerConfig config, IntFunction<RequestHandler> handlerPerLoop) throws Exception {
        HttpServer server = new HttpServer(config);
        try {
            HttpServerConfig c = config;
            for (int i = 0; i < config.threads(); i++) {
                HttpServerDriver driver = new HttpServerDriver(c, handlerPerLoop.apply(i), server.fileThreads);
                EventLoop loop = new EventLoop(i, c.ring(), driver, c.shutdownGrace().toNanos());
                loop.start("ringside-loop-" + i);
                server.loops.add(loop);
                server.drivers.add(driver);
                if (i == 0) {
                    server.boundAddress = driver.localAddress();
                    c = c.withAddress(server.boundAddress);
                }
            }
        } catch (Exception e) {
            server.close();
            throw e;
        }
        server.jmx = HttpServerJmx.register(server);
        jdk.jfr.FlightRecorder.addPeriodicEvent(LoopActivityEvent.class, server.activity);
        return server;
    }

    public InetSocketAddress address() {
        return boundAddress;
    }

    public int port() {
        return boundAddress.getPort();
    }

    public int loops() {
        return loops.size();
    }

    /** Loops whose thread still runs: fewer than {@link #loops()} means one died, and its share of new connections hangs. */
    public int loopsAlive() {
        int n = 0;
        for (EventLoop l : loops) {
            if (l.alive()) n++;
        }
        return n;
    }

    /**
     * How long ago the least recent loop came back from waiting on its ring, in milliseconds: a
     * loop wakes at least once per tick, so much more than that means one is stuck (or dead).
     */
    public long stalestLoopMillis(long nowMillis) {
        long oldest = nowMillis;
        for (EventLoop l : loops) {
            oldest = Math.min(oldest, l.lastProgressMillis());
        }
        return nowMillis - oldest;
    }

    public RingFeatures features() {
        return loops.getFirst().ring().features();
    }

    public boolean usesBufferRing() {
        return drivers.getFirst().usesBufferRing();
    }

    /** Sum of every loop's counters, each read on its own loop thread. */
    public HttpServerStats stats() {
        HttpServerStats total = new HttpServerStats();
        for (int i = 0; i < loops.size(); i++) {
            HttpServerDriver d = drivers.get(i);
            EventLoop loop = loops.get(i);
            try {
                if (loop.awaitStop(0, TimeUnit.MILLISECONDS)) {
                    total.add(d.stats().copy()); // the loop thread is gone: nothing races with us
                    continue;
                }
                CompletableFuture<HttpServerStats> f = new CompletableFuture<>();
                loop.execute(() -> f.complete(d.stats().copy()));
                total.add(f.get(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException("loop " + i + " did not report its counters", e);
            }
        }
        return total;
    }

    /** Stops accepting, lets in-flight responses finish (grace period), closes and frees everything. */
    @Override
    public void close() throws InterruptedException {
        if (jmx != null) {
            jmx.unregister();
        }
        jdk.jfr.FlightRecorder.removePeriodicEvent(activity);
        for (EventLoop l : loops) {
            l.stop();
        }
        for (EventLoop l : loops) {
            l.awaitStop(config.shutdownGrace().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        }
        // Work still running has no loop to come back to; one stuck in a blocking open is left to end by itself.
        fileThreads.shutdownNow();
    }
}
