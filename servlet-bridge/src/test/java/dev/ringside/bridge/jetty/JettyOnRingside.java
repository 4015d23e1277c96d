package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RunningServer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An embedded Jetty server with the {@link TestApp} context whose connector is a
 * {@link RingsideConnector} on 127.0.0.1 (one small loop), made but not started; {@link #close()}
 * is every test's end: the runtime holds nothing, the server stops, no descriptor is left over.
 */
final class JettyOnRingside implements AutoCloseable {
    final Server server = new Server();
    final RingsideConnector connector;
    /** Jetty's own connector beside Ringside's ({@link #besideJettysOwn}), or null. */
    final ServerConnector jettys;
    private final int fdsBefore = FdCount.now();

    JettyOnRingside(Consumer<RingsideConnector> configure) {
        this(new HttpConfiguration(), false, configure);
    }

    /**
     * Ringside's connector and, on another port, Jetty's own {@link ServerConnector}, sharing one
     * {@link HttpConfiguration} (customizers and all, as jetty-home's modules share theirs): a test asks
     * both the same and compares.
     */
    static JettyOnRingside besideJettysOwn(HttpConfiguration http, Consumer<RingsideConnector> configure) {
        return new JettyOnRingside(http, true, configure);
    }

    private JettyOnRingside(HttpConfiguration http, boolean withJettys, Consumer<RingsideConnector> configure) {
        connector = new RingsideConnector(server, RunningServer.smallConfig(), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        configure.accept(connector);
        server.addConnector(connector);
        if (withJettys) {
            jettys = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
            jettys.setHost("127.0.0.1");
            jettys.setPort(0);
            server.addConnector(jettys);
        } else {
            jettys = null;
        }
        server.setHandler(TestApp.context());
    }

    JettyOnRingside start() throws Exception {
        server.start();
        return this;
    }

    int port() {
        return connector.getLocalPort();
    }

    /** Ringside's port, then Jetty's own ({@link #besideJettysOwn}): what a comparing test asks in turn. */
    int[] ports() {
        return new int[] {port(), jettys.getLocalPort()};
    }

    @Override
    public void close() throws Exception {
        try {
            RunningServer.awaitNothingHeld(connector::stats);
        } finally {
            server.stop();
        }
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }
}
