package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.FdCount;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the agent asks of {@link ConnectorTakeover}: which of a server's connectors Ringside stands in
 * for, with what, and when; and a server whose ServerConnector was replaced as it started, answering
 * a real client on the port the ServerConnector was given.
 */
class ConnectorTakeoverTest {
    private final List<String> log = new ArrayList<>();

    @Test
    void jetty12Point1AndLaterOnly() {
        assertTrue(ConnectorTakeover.supported("12.1.12"));
        assertTrue(ConnectorTakeover.supported("12.1.0-SNAPSHOT"));
        assertTrue(ConnectorTakeover.supported("13.0.1"));
        assertFalse(ConnectorTakeover.supported("12.0.36"));
        assertFalse(ConnectorTakeover.supported("11.0.24"));
        assertFalse(ConnectorTakeover.supported("unknown"));
        assertFalse(ConnectorTakeover.supported(null));
    }

    @Test
    void aPlaintextServerConnectorIsReplacedWithItsSettingsAsTheServerStarts() throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(4096);
        HttpConnectionFactory http = new HttpConnectionFactory(config);
        ServerConnector jettys = new ServerConnector(server, http);
        jettys.setHost("127.0.0.1");
        jettys.setPort(0);
        jettys.setIdleTimeout(12_345);
        jettys.setShutdownIdleTimeout(678);
        jettys.setName("public");
        server.addConnector(jettys);
        server.setHandler(TestApp.context());

        // Not running yet: a set or an add leaves the connectors for the start to decide.
        Connector[] set = {jettys};
        assertSame(set, ConnectorTakeover.setWhenRunning(server, set, log::add));
        assertSame(jettys, ConnectorTakeover.addedWhenRunning(server, jettys, log::add));
        assertEquals(List.of(), log);

        int fdsBefore = FdCount.now();
        ConnectorTakeover.beforeStart(server, log::add);
        assertEquals(1, server.getConnectors().length);
        RingsideConnector ours = assertInstanceOf(RingsideConnector.class, server.getConnectors()[0]);
        assertSame(http, ours.getConnectionFactory(HttpConnectionFactory.class), "the same factory, so the same HttpConfiguration");
        assertEquals(List.of(http), List.copyOf(ours.getConnectionFactories()));
        assertEquals("127.0.0.1", ours.getHost());
        assertEquals(0, ours.getPort());
        assertEquals(12_345, ours.getIdleTimeout());
        assertEquals(678, ours.getShutdownIdleTimeout());
        assertEquals("public", ours.getName());
        assertSame(server.getThreadPool(), ours.getExecutor());
        assertFalse(server.getBeans(Connector.class).contains(jettys), "Jetty's connector is no bean of the server any more");
        assertEquals(List.of("Jetty HTTP/1.1 connector 127.0.0.1:0: Ringside's connector takes its place (upgrades such"
                + " as WebSocket are tunnelled to a copy of it on loopback)"), log);
        try {
            server.start();
            assertTrue(ours.isStarted());
            assertFalse(jettys.isStarted());
            assertFalse(jettys.isOpen());
            // Upgrades go to a copy of Jetty's connector on loopback, Ringside's alone: never the server's.
            ServerConnector upgrades = assertInstanceOf(UpgradeConnector.class,
                    assertSingle(server.getContainedBeans(ServerConnector.class)));
            assertTrue(upgrades.isStarted());
            assertEquals("127.0.0.1", upgrades.getHost());
            assertEquals("public", upgrades.getName(), "so virtual hosts bound to the connector's name match");
            assertEquals(12_345, upgrades.getIdleTimeout());
            assertSame(http, upgrades.getConnectionFactory(HttpConnectionFactory.class));
            assertArrayEquals(new Connector[] {ours}, server.getConnectors());
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ours.getLocalPort() + "/info")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("localPort=" + ours.getLocalPort()), r.body());
            }
            assertEquals(1, ours.stats().requests);
            // Once running, a connector set again (Spring Boot's JettyWebServer) is taken over at once.
            ServerConnector later = new ServerConnector(server);
            later.setHost("127.0.0.1");
            Connector[] again = ConnectorTakeover.setWhenRunning(server, new ServerConnector[] {later}, log::add);
            assertEquals(Connector[].class, again.getClass(), "an array that can hold Ringside's connector");
            assertInstanceOf(RingsideConnector.class, again[0]);
            assertInstanceOf(RingsideConnector.class, ConnectorTakeover.addedWhenRunning(server, later, log::add));
        } finally {
            server.stop();
        }
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }

    private static <T> T assertSingle(java.util.Collection<T> all) {
        assertEquals(1, all.size(), all::toString);
        return all.iterator().next();
    }

    @Test
    void everyOtherConnectorStaysJettysWithOneLine() {
        Server server = new Server();
        ServerConnector tls = new ServerConnector(server, new SslContextFactory.Server());
        tls.setPort(8443);
        ServerConnector proxied = new ServerConnector(server, new ProxyConnectionFactory(), new HttpConnectionFactory());
        proxied.setPort(8081);
        ServerConnector subclass = new ServerConnector(server) {
        };
        subclass.setPort(8082);
        QueuedThreadPool pool = new QueuedThreadPool();
        ServerConnector inherited = new ServerConnector(server, pool, null, null, 1, 1, new HttpConnectionFactory());
        inherited.setInheritChannel(true);
        inherited.setPort(8083);
        RingsideConnector already = new RingsideConnector(server);
        Connector[] all = {tls, proxied, subclass, inherited, already};

        assertSame(all, ConnectorTakeover.replace(server, all, log::add));
        assertEquals(4, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("Jetty connector 0.0.0.0:8443 left to Jetty: TLS [ssl, http/1.1]"), log.get(0));
        assertTrue(log.get(1).startsWith("Jetty connector 0.0.0.0:8081 left to Jetty: protocols [[proxy], http/1.1]"), log.get(1));
        assertTrue(log.get(2).contains(":8082 left to Jetty: a " + subclass.getClass().getName() + ", not a plain"), log.get(2));
        assertTrue(log.get(3).endsWith(":8083 left to Jetty: it inherits its channel from the launcher"), log.get(3));
    }

    @Test
    void theRuntimeTakesJettysHeadLimitAndNoBodyLimit() {
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(4096);
        var runtime = ConnectorTakeover.runtimeConfig(config);
        assertEquals(4096, runtime.limits().maxRequestLine());
        assertEquals(4096, runtime.limits().maxHeaderBytes());
        assertEquals(dev.ringside.uring.http.HttpLimits.UNLIMITED, runtime.limits().maxBodyBytes());
    }
}
