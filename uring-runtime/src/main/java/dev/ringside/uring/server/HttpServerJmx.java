package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpServerStats;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/** Registers a server's {@link HttpServerMXBean} while it runs; JMX trouble never stops the server. */
final class HttpServerJmx implements HttpServerMXBean {
    private static final System.Logger LOG = System.getLogger(HttpServerJmx.class.getName());

    private final HttpServer server;
    private ObjectName name;

    private HttpServerJmx(HttpServer server) {
        this.server = server;
    }

    static HttpServerJmx register(HttpServer server) {
        HttpServerJmx bean = new HttpServerJmx(server);
        try {
            ObjectName n = new ObjectName("dev.ringside:type=HttpServer,address="
                    + ObjectName.quote(server.address().getAddress().getHostAddress() + ":" + server.port()));
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, n);
            bean.name = n;
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "no JMX view of " + server.address() + ": " + e);
        }
        return bean;
    }

    void unregister() {
        if (name == null) {
            return;
        }
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        try {
            mbs.unregisterMBean(name);
        } catch (JMException e) {
            // already gone
        }
        name = null;
    }

    private HttpServerStats stats() {
        return server.stats();
    }

    @Override
    public int getLoopsAlive() {
        return server.loopsAlive();
    }

    @Override
    public long getStalestLoopMillis() {
        return server.stalestLoopMillis(System.currentTimeMillis());
    }

    @Override
    public String getAddress() {
        return server.address().getAddress().getHostAddress() + ":" + server.port();
    }

    @Override
    public int getLoops() {
        return server.loops();
    }

    @Override
    public String getKernelFeatures() {
        return server.features().describe();
    }

    @Override
    public int getConnectionsOpen() {
        return stats().connectionsOpen;
    }

    @Override
    public long getAccepted() {
        return stats().accepted;
    }

    @Override
    public long getRequests() {
        return stats().requests;
    }

    @Override
    public long getFileResponses() {
        return stats().fileResponses;
    }

    @Override
    public long getOffloaded() {
        return stats().offloaded;
    }

    @Override
    public long getTunnelsOpened() {
        return stats().tunnelsOpened;
    }

    @Override
    public int getTunnelsActive() {
        return stats().tunnelsActive;
    }

    @Override
    public long getParseErrors() {
        return stats().parseErrors;
    }

    @Override
    public long getHandlerFailures() {
        return stats().handlerFailures;
    }

    @Override
    public long getBytesReceived() {
        return stats().bytesReceived;
    }

    @Override
    public long getBytesSent() {
        return stats().bytesSent;
    }

    @Override
    public int getInputChunksInUse() {
        return stats().inputChunksInUse;
    }

    @Override
    public int getHeadChunksInUse() {
        return stats().headChunksInUse;
    }

    @Override
    public int getRecvBuffersOutstanding() {
        return stats().recvBuffersOutstanding;
    }

    @Override
    public int getPipesInUse() {
        return stats().pipesInUse;
    }

    @Override
    public int getPipesPooled() {
        return stats().pipesPooled;
    }

    @Override
    public int getParsersInUse() {
        return stats().parsersInUse;
    }

    @Override
    public int getOffloadsInUse() {
        return stats().offloadsInUse;
    }

    @Override
    public int getOpenFiles() {
        return stats().openFiles;
    }
}
