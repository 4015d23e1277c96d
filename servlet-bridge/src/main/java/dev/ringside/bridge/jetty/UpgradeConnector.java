package dev.ringside.bridge.jetty;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Jetty's own connector, on an ephemeral loopback port, for the connections a
 * {@link RingsideConnector} hands over whole: protocol upgrades (WebSocket, h2c when the connector
 * has it). Jetty's upgrades take over the {@code EndPoint} of the connection, which Ringside's
 * connector does not have, so the runtime tunnels such a connection here byte for byte and Jetty
 * serves it exactly as on its own port.
 *
 * <p>It is the Ringside connector's managed bean, never one of the server's connectors: it starts,
 * stops and goes away with the Ringside connector, and nothing that looks at the server's
 * connectors (the application's port, {@code Server.getURI()}, Spring Boot's {@code getPort()}, the
 * agent's takeover hooks) ever sees it. It borrows the Ringside connector's connection factories
 * (so the same {@code HttpConfiguration}), executor, scheduler and buffer pool without managing
 * them, and takes its name, so that virtual hosts bound to a connector name match tunnelled
 * requests too. Its class is a subclass, so the takeover, which only replaces plain
 * {@code ServerConnector}s, would never replace it either.
 */
final class UpgradeConnector extends ServerConnector {
    private volatile InetSocketAddress address;

    /**
     * One acceptor and one selector: the connector only ever sees the runtime's tunnels. An acceptor
     * thread (rather than accepting on the selector) because then {@link #close()} closes the
     * listening socket even when the connector never started.
     */
    UpgradeConnector(RingsideConnector owner) {
        super(owner.getServer(), owner.getExecutor(), owner.getScheduler(), owner.getByteBufferPool(), 1, 1,
                owner.getConnectionFactories().toArray(ConnectionFactory[]::new));
        // Passed explicitly, these became this connector's managed beans; they are the owner's.
        unmanage(getExecutor());
        unmanage(getScheduler());
        unmanage(getByteBufferPool());
        getConnectionFactories().forEach(this::unmanage);
        setHost(InetAddress.getLoopbackAddress().getHostAddress());
        setPort(0);
    }

    /** Binds the loopback port (once) with the owner's current name and idle timeouts. */
    void open(RingsideConnector owner) throws IOException {
        setName(owner.getName());
        setIdleTimeout(owner.getIdleTimeout());
        setShutdownIdleTimeout(owner.getShutdownIdleTimeout());
        open();
        if (getLocalPort() <= 0) { // ServerConnector opens once per start: closed, it reopens only after a stop
            throw new IOException("Jetty's connector for upgrades is closed until it is stopped: " + this);
        }
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), getLocalPort());
    }

    /** Where the runtime tunnels upgraded connections: 127.0.0.1 and the port {@link #open} bound. */
    InetSocketAddress address() {
        return address;
    }
}
