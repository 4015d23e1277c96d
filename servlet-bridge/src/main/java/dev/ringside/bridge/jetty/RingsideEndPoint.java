package dev.ringside.bridge.jetty;

import dev.ringside.uring.http.ConnectionAttachment;
import dev.ringside.uring.http.HttpExchange;
import dev.ringside.uring.http.OffloadedExchange;
import dev.ringside.uring.http.RequestHead;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A socket a Ringside loop serves, as Jetty's {@link EndPoint}: what Jetty's customizers, request
 * logs and connection listeners ask of a connection ({@code SecureRequestCustomizer} and
 * {@code ProxyCustomizer} look for TLS or PROXY data on it, {@code CustomRequestLog}'s {@code %k} counts
 * its requests, ee10's {@code ServletChannel} reads its idle timeout). One per connection: made on the
 * loop when the connection's first request is handed to Jetty, kept with it
 * ({@link HttpExchange#attach}) and told by the loop when it closes, so the requests of one connection
 * share one {@code EndPoint} and one {@link RingsideConnection}, as on Jetty's own connectors.
 *
 * <p>It describes; it does not move bytes. The loop does the socket's I/O, so what Jetty's HTTP/1.1
 * connection would call to read and write (fill, flush, write, fill interest, upgrade) is never called
 * on this path and throws. Plaintext: {@link #getSslSessionData()} is null.
 */
final class RingsideEndPoint implements EndPoint, ConnectionAttachment {
    private static final String LOOP_DOES_IO = "the Ringside loop does this connection's I/O: Jetty reads and"
            + " writes its requests through RingsideHttpStream, not through its EndPoint";

    private final RingsideConnector connector;
    private final String remoteAddr;
    private final int remotePort;
    private final String localAddr;
    private final int localPort;
    private final long createdTimeStamp;
    private final RingsideConnection connection;
    /** Made on first use; a race makes two equal immutable values, which is harmless. */
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private volatile boolean open = true;
    /** The request Jetty is handling on this connection, or null between requests. */
    private volatile RingsideHttpStream stream;

    /**
     * On the loop, for a request just offloaded: the first request of a connection for Jetty makes its
     * endpoint, whose connection's listeners (the connector's and its factory's, as Jetty's factories
     * add them) then hear it open.
     */
    static void attach(RingsideConnector connector, HttpExchange exchange, OffloadedExchange x) {
        if (exchange.attachment() instanceof RingsideEndPoint) {
            return;
        }
        RingsideEndPoint endPoint = new RingsideEndPoint(connector, x.head(), exchange.connectionOpenedMillis());
        exchange.attach(endPoint);
        endPoint.connection.opened();
    }

    private RingsideEndPoint(RingsideConnector connector, RequestHead head, long createdTimeStamp) {
        this.connector = connector;
        this.remoteAddr = head.remoteAddr();
        this.remotePort = head.remotePort();
        this.localAddr = head.localAddr();
        this.localPort = head.localPort();
        this.createdTimeStamp = createdTimeStamp;
        this.connection = new RingsideConnection(this, connector);
    }

    /** On a Jetty thread: {@code s} is the connection's request now. */
    void begin(RingsideHttpStream s) {
        stream = s;
        connection.requestBegins();
    }

    /** On a Jetty thread, before the exchange's last call: {@code s} is over ({@code responded}: it committed a response). */
    void end(RingsideHttpStream s, boolean responded) {
        connection.requestEnds(responded);
        if (stream == s) {
            stream = null;
        }
    }

    /** On the loop: the socket is closed; Jetty's listeners hear it off the loop, as on Jetty's own connectors. */
    @Override
    public void connectionClosed() {
        open = false;
        if (connection.hasListeners()) {
            connector.execute(() -> connection.onClose(null));
        }
    }

    /** "remote-address:port", Jetty's {@code ConnectionMetaData} id for requests on this connection. */
    String id() {
        return remoteAddr + ":" + remotePort;
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
        return literal == null ? null : new InetSocketAddress(InetAddress.ofLiteral(literal), port);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long getCreatedTimeStamp() {
        return createdTimeStamp;
    }

    /** Plaintext: no TLS session, so {@link #isSecure()} is false and SecureRequestCustomizer leaves requests as they are. */
    @Override
    public SslSessionData getSslSessionData() {
        return null;
    }

    /** No Java socket or channel: the descriptor is the loop's. */
    @Override
    public Object getTransport() {
        return null;
    }

    /** The idle timeout of the request in progress (Jetty may change it per request), else the connector's. */
    @Override
    public long getIdleTimeout() {
        RingsideHttpStream s = stream;
        return s != null ? s.getIdleTimeout() : connector.getIdleTimeout();
    }

    /**
     * Applies to the request in progress, as Jetty's streams apply theirs to their endpoint. Between
     * requests it changes nothing: the loop waits for the next request as long as the connector's idle
     * timeout says.
     */
    @Override
    public void setIdleTimeout(long idleTimeout) {
        RingsideHttpStream s = stream;
        if (s != null) {
            s.setIdleTimeout(idleTimeout);
        }
    }

    /**
     * The socket is the loop's to close: a request in progress learns its connection closed, on this
     * thread as with Jetty's own HTTP/1.1 connection, and its end (a failure) closes the socket; between
     * requests, the next request is refused by closing.
     */
    @Override
    public void close(Throwable cause) {
        open = false;
        RingsideHttpStream s = stream;
        if (s != null) {
            Runnable task = s.connectionClosed();
            if (task != null) {
                task.run();
            }
        }
    }

    @Override
    public boolean isOutputShutdown() {
        return !open;
    }

    @Override
    public boolean isInputShutdown() {
        return !open;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    /** Created and closed by the loop: nothing to do when Jetty's bookkeeping says so. */
    @Override
    public void onOpen() {
    }

    /** Created and closed by the loop: nothing to do when Jetty's bookkeeping says so. */
    @Override
    public void onClose(Throwable cause) {
    }

    @Override
    public void shutdownOutput() {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public int fill(ByteBuffer buffer) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public SocketAddress receive(ByteBuffer buffer) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public boolean flush(ByteBuffer... buffers) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public boolean send(SocketAddress address, ByteBuffer... buffers) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public void write(Callback callback, ByteBuffer... buffers) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public void write(Callback callback, SocketAddress address, ByteBuffer... buffers) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public void write(boolean last, ByteBuffer byteBuffer, Callback callback) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public void fillInterested(Callback callback) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public boolean tryFillInterested(Callback callback) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    @Override
    public boolean isFillInterested() {
        return false;
    }

    @Override
    public Callback cancelWrite(Throwable cause) {
        throw new UnsupportedOperationException(LOOP_DOES_IO);
    }

    /** One Jetty connection per socket, for its life: protocol upgrades are not served on Ringside's connector. */
    @Override
    public void setConnection(Connection connection) {
        throw new UnsupportedOperationException("Ringside's connector does not replace a connection's Jetty Connection");
    }

    @Override
    public void upgrade(Connection newConnection) {
        throw new UnsupportedOperationException("protocol upgrades are not served on Ringside's connector");
    }

    @Override
    public String toString() {
        return "RingsideEndPoint@" + Integer.toHexString(System.identityHashCode(this)) + "{" + id() + "<->"
                + localAddr + ":" + localPort + (open ? ",open" : ",closed") + "}";
    }
}
