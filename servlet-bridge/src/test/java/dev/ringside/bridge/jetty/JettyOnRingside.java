package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RunningServer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An embedded Jetty server with the {@link TestApp} context whose only connector is a
 * {@link RingsideConnector} on 127.0.0.1 (one small loop), made but not started; {@link #close()}
 * is every test's end: the runtime holds nothing, the server stops, no descriptor is left over.
 */
final class JettyOnRingside implements AutoCloseable {
    final Server server = new Server();
    final RingsideConnector connector;
    private final int fdsBefore = FdCount.now();

    JettyOnRingside(Consumer<RingsideConnector> configure) {
        connector = new RingsideConnector(server, RunningServer.smallConfig(), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        configure.accept(connector);
        server.addConnector(connector);
        server.setHandler(TestApp.context());
    }

    JettyOnRingside start() throws Exception {
        server.start();
        return this;
    }

    int port() {
        return connector.getLocalPort();
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
