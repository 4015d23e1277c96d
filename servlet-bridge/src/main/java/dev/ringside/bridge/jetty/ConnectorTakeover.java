package dev.ringside.bridge.jetty;

import dev.ringside.bridge.loop.PublishedSettings;
import dev.ringside.uring.http.HttpLimits;
import dev.ringside.uring.http.HttpServerConfig;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Jetty;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * What the agent does with a Jetty {@link Server}'s connectors, at the last moment they can still
 * change: a plaintext HTTP/1.1 {@link ServerConnector} gives its place to a {@link RingsideConnector}
 * on the same host and port, with the same {@link HttpConnectionFactory} (so the same
 * {@link HttpConfiguration}), idle timeouts, name, executor, scheduler and buffer pool. Every other
 * connector stays Jetty's, with one line saying why. Called by the agent, through reflection, in
 * the class loader that defined {@code Server}; never by an application.
 */
public final class ConnectorTakeover {
    static final String SERVER_CONNECTOR = "org.eclipse.jetty.server.ServerConnector";

    private ConnectorTakeover() {
    }

    /**
     * Just before {@code Server.doStart()} runs: every configuration step (jetty.xml and the
     * modules that change the connector after adding it, an embedding application's code) is over,
     * and nothing is bound yet.
     */
    public static void beforeStart(Server server, Consumer<String> log) {
        Connector[] now = server.getConnectors();
        Connector[] next = replace(server, now, log);
        if (next != now) {
            server.setConnectors(next);
        }
    }

    /**
     * Connectors set on a server already starting or started (Spring Boot sets them again after
     * starting the server without them) are taken over now. On a server not started they are left as
     * they are: {@link #beforeStart} sees them when their configuration is done (jetty.xml's modules
     * still change a connector after adding it).
     */
    public static Connector[] setWhenRunning(Server server, Connector[] connectors, Consumer<String> log) {
        return connectors == null || !server.isRunning() ? connectors : replace(server, connectors, log);
    }

    /** {@link #setWhenRunning} for {@code Server.addConnector}. */
    public static Connector addedWhenRunning(Server server, Connector connector, Consumer<String> log) {
        return connector == null || !server.isRunning() ? connector
                : replace(server, new Connector[] {connector}, log)[0];
    }

    /** The same array when nothing is replaced, else a new one with Ringside's connectors in place. */
    static Connector[] replace(Server server, Connector[] connectors, Consumer<String> log) {
        Connector[] out = connectors;
        for (int i = 0; i < connectors.length; i++) {
            Connector c = connectors[i];
            if (c == null || c instanceof RingsideConnector) {
                continue;
            }
            String why = refusal(c);
            if (why != null) {
                log.accept("Jetty connector " + describe(c) + " left to Jetty: " + why);
                continue;
            }
            RingsideConnector ours;
            try {
                ours = replacement(server, (ServerConnector) c);
            } catch (RuntimeException | LinkageError e) {
                log.accept("Jetty connector " + describe(c) + " left to Jetty: the adapter did not install (" + e + ")");
                continue;
            }
            if (out == connectors) {
                // Of Connector[] type whatever the caller's array was (a ServerConnector[] could not hold ours).
                out = Arrays.copyOf(connectors, connectors.length, Connector[].class);
            }
            out[i] = ours;
            log.accept("Jetty HTTP/1.1 connector " + describe(c) + ": Ringside's connector takes its place (upgrades such"
                    + " as WebSocket are tunnelled to a copy of it on loopback)");
        }
        return out;
    }

    /** Null when {@code c} is a plaintext HTTP/1.1 {@link ServerConnector} Ringside can stand in for, else why not. */
    static String refusal(Connector c) {
        if (!supported(Jetty.VERSION)) {
            return "Jetty " + Jetty.VERSION + " (Ringside's Jetty adapter needs 12.1 or later)";
        }
        if (!SERVER_CONNECTOR.equals(c.getClass().getName())) {
            // A subclass may change what accepting or opening means: it is not ours to replace.
            return "a " + c.getClass().getName() + ", not a plain " + SERVER_CONNECTOR;
        }
        ServerConnector s = (ServerConnector) c;
        if (s.getConnectionFactory(SslConnectionFactory.class) != null) {
            return "TLS " + s.getProtocols();
        }
        if (s.getConnectionFactories().size() != 1 || s.getConnectionFactory(HttpConnectionFactory.class) == null
                || s.getConnectionFactory(HttpConnectionFactory.class).getClass() != HttpConnectionFactory.class) {
            return "protocols " + s.getProtocols() + " (Ringside's connector speaks plaintext HTTP/1.1 only)";
        }
        if (s.isInheritChannel()) {
            return "it inherits its channel from the launcher";
        }
        if (s.isOpen()) {
            return "already open";
        }
        return null;
    }

    /** Jetty 12.1 or later: the API the adapter is compiled against (12.0 differs in buffers, idle timeouts, threads). */
    static boolean supported(String version) {
        if (version == null) {
            return false;
        }
        String[] parts = version.split("[.-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 12 || major == 12 && minor >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static RingsideConnector replacement(Server server, ServerConnector c) {
        HttpConnectionFactory http = c.getConnectionFactory(HttpConnectionFactory.class);
        // What the connector took from the server stays the server's (unmanaged), as it was.
        RingsideConnector r = new RingsideConnector(server,
                c.getExecutor() == server.getThreadPool() ? null : c.getExecutor(),
                c.getScheduler() == server.getScheduler() ? null : c.getScheduler(),
                c.getByteBufferPool() == server.getByteBufferPool() ? null : c.getByteBufferPool(),
                runtimeConfig(http.getHttpConfiguration()), http);
        r.setHost(c.getHost());
        r.setPort(c.getPort());
        r.setIdleTimeout(c.getIdleTimeout());
        r.setShutdownIdleTimeout(c.getShutdownIdleTimeout());
        r.setName(c.getName());
        r.setVirtualDispatch(PublishedSettings.virtualDispatch());
        return r;
    }

    /**
     * The runtime's configuration for Jetty: the head limit is the {@link HttpConfiguration}'s
     * request header size (Jetty counts the request line in it, and answers 431 beyond it), header
     * count and body size are unbounded as in Jetty; loops and a body limit as the agent says
     * ({@link PublishedSettings}).
     */
    static HttpServerConfig runtimeConfig(HttpConfiguration http) {
        int head = Math.max(http.getRequestHeaderSize(), 1024);
        HttpLimits limits = new HttpLimits(head, head, 10_000).withBodyLimits(
                HttpLimits.DEFAULT_MAX_CHUNK_EXTENSION_BYTES, HttpLimits.DEFAULT_MAX_TRAILER_BYTES,
                PublishedSettings.maxBodyBytes());
        return HttpServerConfig.defaults(new InetSocketAddress(0)).withThreads(PublishedSettings.loops())
                .withFileThreads(PublishedSettings.fileThreads()).withLimits(limits);
    }

    private static String describe(Connector c) {
        if (c instanceof NetworkConnector n) {
            return (n.getHost() == null ? "0.0.0.0" : n.getHost()) + ":" + n.getPort();
        }
        return c.getClass().getSimpleName() + (c.getName() != null ? " " + c.getName() : "");
    }
}
