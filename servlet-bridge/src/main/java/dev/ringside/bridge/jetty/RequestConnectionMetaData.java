package dev.ringside.bridge.jetty;

import dev.ringside.uring.http.RequestHead;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.Attributes;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What Jetty knows of the connection a request came on, for one request. Jetty's own connections
 * are their metadata and live as long as the socket; Ringside's connection lives on its loop and
 * is not ours to hold, so each request carries a copy of what its head said about it (addresses,
 * version, keep-alive), taken before the exchange can be reused.
 *
 * <p>Plaintext only: {@link #isSecure()} is false. {@link #getConnection()} is null (there is no
 * Jetty {@code EndPoint} under it); the few callers that want one (SecureRequestCustomizer,
 * ProxyCustomizer, CustomRequestLog's {@code %k}, ee10 {@code ServletChannel.getIdleTimeout}) do
 * not apply to a plaintext connector or are not supported yet.
 */
final class RequestConnectionMetaData extends Attributes.Lazy implements ConnectionMetaData {
    private final RingsideConnector connector;
    private final HttpConfiguration httpConfiguration;
    private final HttpVersion version;
    private final String remoteAddr;
    private final int remotePort;
    private final String localAddr;
    private final int localPort;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private volatile boolean persistent;

    RequestConnectionMetaData(RingsideConnector connector, RequestHead head) {
        this.connector = connector;
        this.httpConfiguration = connector.httpConfiguration();
        this.version = head.version() == dev.ringside.uring.http.HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        this.remoteAddr = head.remoteAddr();
        this.remotePort = head.remotePort();
        this.localAddr = head.localAddr();
        this.localPort = head.localPort();
        this.persistent = head.keepAlive() && httpConfiguration.isPersistentConnectionsEnabled();
    }

    /** The connection will not be kept after this exchange (unread body, a 100-continue never sent). */
    void notPersistent() {
        persistent = false;
    }

    @Override
    public String getId() {
        return remoteAddr + ":" + remotePort;
    }

    @Override
    public HttpConfiguration getHttpConfiguration() {
        return httpConfiguration;
    }

    @Override
    public HttpVersion getHttpVersion() {
        return version;
    }

    @Override
    public String getProtocol() {
        return version.asString();
    }

    @Override
    public Connection getConnection() {
        return null;
    }

    @Override
    public Connector getConnector() {
        return connector;
    }

    @Override
    public boolean isPersistent() {
        return persistent;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        if (remote == null) {
            remote = address(remoteAddr, remotePort);
        }
        return remote;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        if (local == null) {
            local = address(localAddr, localPort);
        }
        return local;
    }

    /** From the literal the loop recorded: never a name lookup. */
    private static InetSocketAddress address(String literal, int port) {
        if (literal == null) {
            return null;
        }
        return new InetSocketAddress(InetAddress.ofLiteral(literal), port);
    }

    @Override
    public String toString() {
        return "RingsideConnection@" + getId() + "{" + version + (persistent ? ",persistent" : "") + "}";
    }
}
