package dev.ringside.bridge.jetty;

import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Upgrades on a {@link RingsideConnector}: a Jakarta WebSocket endpoint of an ee10 context, reached
 * with java.net.http's WebSocket through the Ringside port. The loop tunnels the connection to the
 * {@link UpgradeConnector}, Jetty's own connector on loopback, so Jetty serves the WebSocket as on its
 * own port; that connector is the Ringside connector's alone, and goes away with it.
 */
class RingsideConnectorUpgradeTest {
    private static final long WAIT = 10;
    /** Closes seen by the endpoint: a close the client starts must reach Jetty's side of the tunnel. */
    private static final LinkedBlockingQueue<CloseReason> serverCloses = new LinkedBlockingQueue<>();

    private JettyOnRingside jetty;
    private RingsideConnector connector;
    private HttpClient client;

    /** What the sample apps have: text messages echoed as they come. */
    @ServerEndpoint("/ws/echo")
    public static class Echo {
        @OnMessage
        public String echo(String message) {
            return message;
        }

        @OnClose
        public void closed(CloseReason reason) {
            serverCloses.add(reason);
        }

        /** A peer gone while the server stops is expected here; without this Jetty logs it as unhandled. */
        @OnError
        public void failed(Throwable error) {
        }
    }

    @BeforeEach
    void start() throws Exception {
        serverCloses.clear();
        jetty = new JettyOnRingside(c -> {});
        JakartaWebSocketServletContainerInitializer.configure((ServletContextHandler) jetty.server.getHandler(),
                (servletContext, container) -> container.addEndpoint(Echo.class));
        jetty.start();
        connector = jetty.connector;
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        // Not close(): it waits, without a bound, for every connection the client still has.
        client.shutdownNow();
        boolean clientDone = client.awaitTermination(java.time.Duration.ofSeconds(WAIT));
        jetty.close();
        assertTrue(clientDone, "the client's connections all ended");
    }

    @Test
    void aWebSocketEchoesThroughTheRingsidePortOverOneTunnel() throws Exception {
        Client ws = connect();
        List<String> sent = new ArrayList<>(List.of("hello", "x".repeat(5000)));
        // Enough frames to cross the tunnel's chunks many times over, both ways.
        for (int i = 0; i < 200; i++) {
            sent.add(i + ":" + "y".repeat(4000));
        }
        for (String m : sent) {
            ws.socket.sendText(m, true).get(WAIT, TimeUnit.SECONDS);
        }
        assertEquals(sent, ws.take(sent.size()));

        HttpServerStats s = connector.stats();
        assertEquals(1, s.tunnelsOpened);
        assertEquals(1, s.tunnelsActive);
        assertEquals(0, s.tunnelsFailed);
        assertEquals(0, s.offloaded, "the upgrade is Jetty's own connector's, not the offload path's");
        long payload = sent.stream().mapToLong(String::length).sum();
        assertTrue(s.tunnelBytes > 2 * payload, "every message relayed both ways: " + s.tunnelBytes);
        ws.close();
    }

    @Test
    void aCloseFromTheClientReachesTheEndpointAndEndsTheTunnel() throws Exception {
        Client ws = connect();
        ws.close();
        CloseReason seen = serverCloses.poll(WAIT, TimeUnit.SECONDS);
        assertNotNull(seen, "the endpoint saw the close");
        assertEquals(CloseReason.CloseCodes.NORMAL_CLOSURE, seen.getCloseCode());
        assertEquals("done", seen.getReasonPhrase());
        // Both sides closed their sockets: the loop holds neither the client nor the backend any more.
        HttpServerStats s = RunningServer.awaitNothingHeld(connector::stats);
        assertEquals(1, s.tunnelsOpened);
        assertEquals(0, s.tunnelsActive);
    }

    @Test
    void stoppingTheServerEndsItsWebSockets() throws Exception {
        Client ws = connect();
        ws.socket.sendText("before", true).get(WAIT, TimeUnit.SECONDS);
        assertEquals(List.of("before"), ws.take(1));
        jetty.server.stop();
        assertTrue(ws.ended.await(WAIT, TimeUnit.SECONDS), "the client saw its WebSocket end");
        assertEquals(0, connector.stats().tunnelsActive);
        assertFalse(upgrades().isRunning());
        assertFalse(upgrades().isOpen());
    }

    @Test
    void aRestartedServerTunnelsToJettysConnectorWhereverItIsBoundNow() throws Exception {
        jetty.server.stop();
        jetty.server.start();
        assertEquals(1, connector.getBeans(UpgradeConnector.class).size(), "the same connector, bound again");
        Client ws = connect();
        ws.socket.sendText("again", true).get(WAIT, TimeUnit.SECONDS);
        assertEquals(List.of("again"), ws.take(1));
        ws.close();
    }

    @Test
    void anUpgradeNoEndpointAcceptsIsAnsweredByJettyThroughTheTunnel() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /info?p=up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertTrue(r.text().contains("param=up"), r.text());
            // The connection is Jetty's now: the next request on it is answered by Jetty's connector.
            c.send("GET /info?p=next HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response next = c.read();
            assertTrue(next.text().contains("param=next"), next.text());
            assertTrue(next.text().contains("localPort=" + upgrades().getLocalPort()), next.text());
        }
        assertEquals(1, connector.stats().tunnelsOpened);
        assertEquals(0, connector.stats().offloaded);
    }

    @Test
    void aLoneH2cOfferIsServedAsHttp11WhenTheConnectorHasNoH2c() throws Exception {
        // java.net.http offers h2c on a connection's first request by default; Jetty's connector without
        // h2c answers it as HTTP/1.1, and so does Ringside's, without handing the connection over.
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /info?p=h2c HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertTrue(r.text().contains("param=h2c"), r.text());
        }
        assertEquals(0, connector.stats().tunnelsOpened);
        assertEquals(1, connector.stats().offloaded);
    }

    @Test
    void jettysLoopbackConnectorIsTheRingsideConnectorsAloneAndNotTheApplicationsPort() throws Exception {
        UpgradeConnector upgrades = upgrades();
        assertTrue(upgrades.isRunning());
        assertEquals("127.0.0.1", upgrades.getHost());
        assertNotEquals(connector.getLocalPort(), upgrades.getLocalPort());
        assertArrayEquals(new Connector[] {connector}, jetty.server.getConnectors());
        assertEquals(connector.getLocalPort(), jetty.server.getURI().getPort());
        assertSame(connector.getConnectionFactory(HttpConnectionFactory.class),
                upgrades.getConnectionFactory(HttpConnectionFactory.class), "the same factory, so the same HttpConfiguration");
        // The agent's hooks see the server's connectors only: nothing there for them to take over again.
        List<String> log = new ArrayList<>();
        Connector[] now = jetty.server.getConnectors();
        assertSame(now, ConnectorTakeover.setWhenRunning(jetty.server, now, log::add));
        assertEquals(List.of(), log);
    }

    @Test
    void removingTheRingsideConnectorTakesJettysLoopbackConnectorWithIt() throws Exception {
        UpgradeConnector upgrades = upgrades();
        jetty.server.removeConnector(connector);
        assertFalse(connector.isRunning());
        assertFalse(upgrades.isRunning());
        assertFalse(upgrades.isOpen());
    }

    private UpgradeConnector upgrades() {
        List<UpgradeConnector> mine = List.copyOf(connector.getBeans(UpgradeConnector.class));
        assertEquals(1, mine.size());
        return mine.get(0);
    }

    private Client connect() throws Exception {
        Client c = new Client();
        c.socket = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws/echo"), c)
                .get(WAIT, TimeUnit.SECONDS);
        return c;
    }

    /** java.net.http's WebSocket with the messages it received, whole, in order. */
    private static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CountDownLatch ended = new CountDownLatch(1);
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder message = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                received.add(message.toString());
                message.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closeCode.complete(statusCode);
            ended.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            ended.countDown();
        }

        List<String> take(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String m = received.poll(WAIT, TimeUnit.SECONDS);
                assertNotNull(m, "message " + i + " of " + n + " came back");
                out.add(m);
            }
            return out;
        }

        /** A normal close, answered by the endpoint's own close frame. */
        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(WAIT, TimeUnit.SECONDS);
            assertEquals(WebSocket.NORMAL_CLOSURE, closeCode.get(WAIT, TimeUnit.SECONDS));
        }
    }
}
