package dev.ringside.bridge.jetty;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EventListener;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Jetty's {@link Connection} for one {@link RingsideEndPoint}: the HTTP/1.1 conversation on a socket a
 * Ringside loop serves, as far as Jetty can see it. It counts the requests Jetty was handed on the
 * socket and the responses it committed (what {@code CustomRequestLog}'s {@code %k} and
 * {@code ConnectionStatistics} read), and tells its {@link Connection.Listener}s when the socket opens
 * and closes. Requests the loop answers itself (static files) are not counted, and bytes are not
 * counted per connection ({@link #getBytesIn()} is -1, "unknown", as for Jetty's connections that do
 * not count): the loop counts them for the whole server.
 */
final class RingsideConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(RingsideConnection.class);

    private static final Listener[] NONE = {};

    private final RingsideEndPoint endPoint;
    /** Copied on change (listeners are rare and rarely change): nothing allocated for a connection without. */
    private volatile Listener[] listeners = NONE;
    /** Written by one request's thread at a time (requests on a connection follow each other). */
    private volatile long messagesIn;
    private volatile long messagesOut;

    /** With the listeners Jetty's connection factories give their connections: the connector's, then the factory's. */
    RingsideConnection(RingsideEndPoint endPoint, RingsideConnector connector) {
        this.endPoint = endPoint;
        for (EventListener l : connector.getEventListeners()) {
            addEventListener(l);
        }
        HttpConnectionFactory factory = connector.getConnectionFactory(HttpConnectionFactory.class);
        if (factory != null) {
            for (EventListener l : factory.getEventListeners()) {
                addEventListener(l);
            }
        }
    }

    void requestBegins() {
        messagesIn++;
    }

    void requestEnds(boolean responded) {
        if (responded) {
            messagesOut++;
        }
    }

    boolean hasListeners() {
        return listeners.length > 0;
    }

    /** On the loop, as the endpoint is made. */
    void opened() {
        if (hasListeners()) {
            onOpen();
        }
    }

    @Override
    public synchronized void addEventListener(EventListener listener) {
        if (listener instanceof Listener l) {
            Listener[] more = Arrays.copyOf(listeners, listeners.length + 1);
            more[listeners.length] = l;
            listeners = more;
        }
    }

    @Override
    public synchronized void removeEventListener(EventListener listener) {
        List<Listener> less = new ArrayList<>(Arrays.asList(listeners));
        if (less.remove(listener)) {
            listeners = less.toArray(NONE);
        }
    }

    @Override
    public void onOpen() {
        tell(true);
    }

    @Override
    public void onClose(Throwable cause) {
        tell(false);
    }

    /** Each listener in turn; one that fails is logged and does not keep the others from hearing it. */
    private void tell(boolean opened) {
        for (Listener l : listeners) {
            try {
                if (opened) {
                    l.onOpened(this);
                } else {
                    l.onClosed(this);
                }
            } catch (Throwable t) {
                LOG.info("connection listener {} failed on {} of {}", l, opened ? "open" : "close", this, t);
            }
        }
    }

    @Override
    public EndPoint getEndPoint() {
        return endPoint;
    }

    @Override
    public void close() {
        endPoint.close();
    }

    /** Never called: the loop times idle connections out itself. */
    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        return true;
    }

    /** Requests handed to Jetty on this connection so far, the one in progress included (as Jetty's HTTP/1.1 connection counts). */
    @Override
    public long getMessagesIn() {
        return messagesIn;
    }

    /** Responses Jetty committed on this connection, counted as each request ends. */
    @Override
    public long getMessagesOut() {
        return messagesOut;
    }

    @Override
    public long getBytesIn() {
        return -1;
    }

    @Override
    public long getBytesOut() {
        return -1;
    }

    @Override
    public long getCreatedTimeStamp() {
        return endPoint.getCreatedTimeStamp();
    }

    @Override
    public String toString() {
        return "RingsideConnection@" + Integer.toHexString(System.identityHashCode(this)) + "{" + endPoint + "}";
    }
}
