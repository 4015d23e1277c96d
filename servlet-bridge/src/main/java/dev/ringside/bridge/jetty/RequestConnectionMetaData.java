package dev.ringside.bridge.jetty;

import dev.ringside.uring.http.RequestHead;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.Attributes;

import java.net.SocketAddress;

/**
 * What Jetty knows of the connection a request came on, for one request. Jetty's own connections
 * are their metadata and live as long as the socket; here the socket's lasting part is its
 * {@link RingsideEndPoint} (addresses, Jetty's {@link Connection}), and what may change from one
 * request to the next (version, keep-alive) is copied from the request's head, before the exchange
 * can be reused.
 *
 * <p>Plaintext only: {@link #isSecure()} is false.
 */
final class RequestConnectionMetaData extends Attributes.Lazy implements ConnectionMetaData {
    private final RingsideConnector connector;
    private final HttpConfiguration httpConfiguration;
    private final RingsideEndPoint endPoint;
    private final HttpVersion version;
    private volatile boolean persistent;

    RequestConnectionMetaData(RingsideConnector connector, RingsideEndPoint endPoint, RequestHead head) {
        this.connector = connector;
        this.httpConfiguration = connector.httpConfiguration();
        this.endPoint = endPoint;
        this.version = head.version() == dev.ringside.uring.http.HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        this.persistent = head.keepAlive() && httpConfiguration.isPersistentConnectionsEnabled();
    }

    /** The connection will not be kept after this exchange (unread body, a 100-continue never sent). */
    void notPersistent() {
        persistent = false;
    }

    @Override
    public String getId() {
        return endPoint.id();
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
        return endPoint.getConnection();
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
        return endPoint.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return endPoint.getLocalSocketAddress();
    }

    @Override
    public String toString() {
        return "RequestConnectionMetaData@" + getId() + "{" + version + (persistent ? ",persistent" : "") + "}";
    }
}
