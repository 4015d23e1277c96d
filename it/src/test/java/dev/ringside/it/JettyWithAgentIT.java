package dev.ringside.it;

import dev.ringside.it.containers.ContainerProcess;
import dev.ringside.it.containers.JettyDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ringside.it.SampleAppExchange.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The sample WAR in a real Jetty 12.1 distribution ({@code start.jar}, a fresh JETTY_BASE), in the
 * {@code ee10} and the {@code ee11} environment, without the agent and with it (and, in ee10, with it
 * disabled, with it on a connector that also speaks h2c, and with it beside jetty-home's HTTPS connector): the same answers to the same requests, the agent's own log lines only where it runs, and
 * jetty-http.xml's {@code ServerConnector} replaced by Ringside's connector on the same port. The sample's
 * WebSocket endpoint (jetty-home's {@code eeNN-websocket-jakarta} module) echoes through that port with and
 * without the agent: with it, the loop tunnels each upgrade to Jetty's own connector on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyWithAgentIT {
    private static final Duration START = Duration.ofSeconds(60);
    /** Jetty's BASIC challenge: no {@code charset} parameter, unlike Tomcat's. */
    private static final String CHALLENGE = "Basic realm=\"sample\"";
    static final List<String> ENVIRONMENTS = JettyDistribution.ENVIRONMENTS;

    private final Map<String, ContainerProcess> plain = new HashMap<>();
    private final Map<String, ContainerProcess> agent = new HashMap<>();
    private ContainerProcess disabled;
    private ContainerProcess h2c;
    private ContainerProcess https;
    private int httpsPort;
    private final Map<String, Map<String, SampleAppExchange.Answer>> reference = new HashMap<>();

    @BeforeAll
    void startAll() throws Exception {
        List<String> javaagent = List.of("-javaagent:" + AgentRun.agentJar().toAbsolutePath(), "--enable-native-access=ALL-UNNAMED");
        try {
            // Launched together, awaited one by one.
            for (String ee : ENVIRONMENTS) {
                plain.put(ee, JettyDistribution.launch(ee, "plain", List.of()));
                List<String> recorded = new ArrayList<>(javaagent);
                recorded.add(ContainerProcess.RECORD_REQUESTS);
                agent.put(ee, JettyDistribution.launch(ee, "agent", recorded));
            }
            List<String> off = new ArrayList<>(javaagent);
            off.add("-Dringside.enabled=false");
            disabled = JettyDistribution.launch("ee10", "disabled", off);
            // jetty-http2c.xml adds its factory to jetty-http.xml's connector after that one was added to
            // the server: only a takeover as the server starts sees it.
            h2c = JettyDistribution.launch("ee10", "agent-h2c", javaagent, List.of("http2c"));
            httpsPort = ContainerProcess.freePort();
            https = JettyDistribution.launchWithHttps("ee10", "agent-https", javaagent, httpsPort);
            for (String ee : ENVIRONMENTS) {
                plain.get(ee).awaitReady(START);
                agent.get(ee).awaitReady(START);
                reference.put(ee, exchange(plain.get(ee)));
            }
            disabled.awaitReady(START);
            h2c.awaitReady(START);
            https.awaitReady(START);
        } catch (Throwable t) {
            stopAll();
            throw t;
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        List<ContainerProcess> all = new ArrayList<>(plain.values());
        all.addAll(agent.values());
        if (disabled != null) all.add(disabled);
        if (h2c != null) all.add(h2c);
        if (https != null) all.add(https);
        for (ContainerProcess i : all) i.close();
    }

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void withoutTheAgentNothingOfRingsideIsSaid(String ee) throws Exception {
        String out = plain.get(ee).consoleOutput();
        assertTrue(out.contains("Started oejs.Server"), out);
        assertTrue(out.contains("oejs.AbstractConnector:main: Started oejs.ServerConnector"), out);
        assertFalse(out.contains("ringside:"), out);
    }

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void theAgentIsActiveAndFindsJettysConnectorInStartJarsLoader(String ee) throws Exception {
        String out = agent.get(ee).consoleOutput();
        assertEquals(1, lines(out, "ringside: active"), out);
        // start.jar (on the class path alone) builds the server's class path from the enabled modules and
        // loads Jetty in its own URLClassLoader, org.eclipse.jetty.start.Classpath$Loader (unnamed, so the
        // agent names it by its class); no forked JVM, since no module asks for --exec. Not the application
        // class loader, not the web-app loader: ServerConnector is a server class.
        assertEquals(1, lines(out, "ringside: found Jetty (org.eclipse.jetty.server.ServerConnector in org.eclipse.jetty.start.Classpath$Loader)"), out);
        assertEquals(1, lines(out, "ringside: found Jetty"), out);
        assertFalse(out.contains("found Tomcat"), out);
    }

    @TestFactory
    Stream<DynamicTest> everyAnswerIsJettysByteForByte() {
        return ENVIRONMENTS.stream().flatMap(ee -> sameBytes("Jetty " + ee, plain.get(ee), agent.get(ee)));
    }

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void theAgentServesTheConnectorsPortThroughIoUring(String ee) throws Exception {
        ContainerProcess jetty = agent.get(ee);
        String out = jetty.consoleOutput();
        // jetty-http.xml's ServerConnector (jetty.http.host/port) is replaced as the server starts ...
        assertEquals(1, lines(out, "ringside: Jetty HTTP/1.1 connector 127.0.0.1:" + jetty.port()
                + ": Ringside's connector takes its place"), out);
        assertEquals(0, lines(out, "left to Jetty"), out);
        // ... Ringside's connector serves that port (logged through Jetty's own logging) ...
        assertEquals(1, lines(out, "Ringside serves /127.0.0.1:" + jetty.port() + " for Jetty"), out);
        // ... and Jetty starts it as its connector; its own ServerConnector is never started. The only
        // other connector is the one upgrades are tunnelled to, on loopback and a port of its own.
        assertEquals(1, lines(out, "Started drbj.RingsideConnector@"), out);
        assertEquals(0, lines(out, "Started oejs.ServerConnector"), out);
        String upgrades = out.lines().filter(l -> l.contains("Started drbj.UpgradeConnector@")).findFirst().orElseThrow();
        assertEquals(1, lines(out, "Started drbj.UpgradeConnector@"), out);
        assertTrue(upgrades.contains("}{127.0.0.1:") && !upgrades.endsWith(":" + jetty.port() + "}"), upgrades);
        assertTrue(jetty.ioUringDescriptors() >= 1, "io_uring descriptors in the Jetty JVM");
        assertEquals(0, plain.get(ee).ioUringDescriptors());
    }

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void theWebSocketEchoWorksThroughTheAgentsPort(String ee) throws Exception {
        long tunnels = agent.get(ee).ringsideCounters("TunnelsOpened").get("TunnelsOpened");
        for (ContainerProcess jetty : List.of(plain.get(ee), agent.get(ee))) {
            assertWebSocketEchoes(jetty);
        }
        // Two WebSocket sessions, each a connection the loop handed to Jetty's own connector whole.
        assertEquals(tunnels + 2, agent.get(ee).ringsideCounters("TunnelsOpened").get("TunnelsOpened"));
    }

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void theAgentAnswersExactlyAsJettyAlone(String ee) throws Exception {
        assertSameAnswers(reference.get(ee), exchange(agent.get(ee)), CHALLENGE);
    }

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void itsJfrEventsSayHowEachRequestWasRouted(String ee) throws Exception {
        exchange(agent.get(ee));
        assertRouted(agent.get(ee).recordedEvents(), ContainerProcess.CONTEXT);
    }

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void itsJmxCountersShowTheStaticPathAndJettyAtWork(String ee) throws Exception {
        ContainerProcess jetty = agent.get(ee);
        exchange(jetty); // the sample's requests: servlets, JSP, and its plain files
        Map<String, Long> c = jetty.ringsideCounters("Requests", "FileResponses", "Offloaded");
        assertTrue(c.getOrDefault("Requests", 0L) >= 14, c.toString());
        assertTrue(c.getOrDefault("FileResponses", 0L) >= 1, "static files sent by the loop: " + c);
        assertTrue(c.getOrDefault("Offloaded", 0L) >= 10, "requests served by Jetty's pipeline: " + c);
        assertEquals(1, lines(jetty.consoleOutput(), "Ringside sends the plain files of context /servlet-app from "),
                jetty.consoleOutput());
        assertEquals(Map.of(), plain.get(ee).ringsideCounters("Requests"), "no Ringside server without the agent");
    }

    @Test
    void aConnectorWithH2cStaysJettysWithOneLineAndAnswersTheSame() throws Exception {
        String out = h2c.consoleOutput();
        assertEquals(1, lines(out, "ringside: active"), out);
        assertEquals(1, lines(out, "ringside: Jetty connector 127.0.0.1:" + h2c.port()
                + " left to Jetty: protocols [http/1.1, h2c] (Ringside's connector speaks plaintext HTTP/1.1 only)"), out);
        assertEquals(0, lines(out, "takes its place"), out);
        assertEquals(0, lines(out, "Ringside serves /"), out);
        assertTrue(out.contains("oejs.AbstractConnector:main: Started oejs.ServerConnector"), out);
        assertEquals(0, h2c.ioUringDescriptors());
        assertSameAnswers(reference.get("ee10"), exchange(h2c), CHALLENGE);
    }

    /**
     * jetty-home's {@code https} module beside {@code http}: a TLS connector on its own port, with a copy of the
     * plain connector's configuration plus a {@code SecureRequestCustomizer}. The plain port is Ringside's and
     * answers as Jetty alone; the TLS port stays Jetty's and serves the same application.
     */
    @Test
    void withHttpsEnabledThePlainPortIsRingsidesAndTheTlsPortStaysJettys() throws Exception {
        String out = https.consoleOutput();
        assertEquals(1, lines(out, "ringside: Jetty HTTP/1.1 connector 127.0.0.1:" + https.port()
                + ": Ringside's connector takes its place"), out);
        assertEquals(1, lines(out, "ringside: Jetty connector 127.0.0.1:" + httpsPort + " left to Jetty: TLS "), out);
        assertEquals(1, lines(out, "Ringside serves /127.0.0.1:" + https.port() + " for Jetty"), out);
        assertEquals(1, lines(out, "Started oejs.ServerConnector@"), out);
        assertEquals(1, lines(out, "{127.0.0.1:" + httpsPort + "}"), out);
        assertTrue(https.ioUringDescriptors() >= 1, "io_uring descriptors in the Jetty JVM");

        assertSameAnswers(reference.get("ee10"), exchange(https), CHALLENGE);

        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(JettyDistribution.trustingItsKey(https)).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort
                    + ContainerProcess.CONTEXT + "/hello")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("hello", hello.body().strip());
            assertEquals(List.of("on"), hello.headers().allValues("x-sample-filter"));
        }
    }

    @Test
    void disabledItSaysSoAndAnswersExactlyAsJettyAlone() throws Exception {
        String out = disabled.consoleOutput();
        assertDisabled(out);
        assertTrue(out.contains("oejs.AbstractConnector:main: Started oejs.ServerConnector"), out);
        assertEquals(0, disabled.ioUringDescriptors());
        assertSameAnswers(reference.get("ee10"), exchange(disabled), CHALLENGE);
    }
}
