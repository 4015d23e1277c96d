package dev.ringside.it;

import dev.ringside.it.containers.ContainerProcess;
import dev.ringside.it.containers.JettyDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ringside.it.SampleAppExchange.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The sample WAR in a real Jetty 12.1 distribution ({@code start.jar}, a fresh JETTY_BASE), in the
 * {@code ee10} and the {@code ee11} environment, without the agent and with it: the same answers to the
 * same requests, and the agent's own log lines only where it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyWithAgentIT {
    private static final Duration START = Duration.ofSeconds(60);
    /** Jetty's BASIC challenge: no {@code charset} parameter, unlike Tomcat's. */
    private static final String CHALLENGE = "Basic realm=\"sample\"";
    static final List<String> ENVIRONMENTS = JettyDistribution.ENVIRONMENTS;

    private final Map<String, ContainerProcess> plain = new HashMap<>();
    private final Map<String, ContainerProcess> agent = new HashMap<>();
    private final Map<String, Map<String, SampleAppExchange.Answer>> reference = new HashMap<>();

    @BeforeAll
    void startAll() throws Exception {
        List<String> javaagent = List.of("-javaagent:" + AgentRun.agentJar().toAbsolutePath(), "--enable-native-access=ALL-UNNAMED");
        try {
            // Launched together, awaited one by one.
            for (String ee : ENVIRONMENTS) {
                plain.put(ee, JettyDistribution.launch(ee, "plain", List.of()));
                agent.put(ee, JettyDistribution.launch(ee, "agent", javaagent));
            }
            for (String ee : ENVIRONMENTS) {
                plain.get(ee).awaitReady(START);
                agent.get(ee).awaitReady(START);
                reference.put(ee, exchange(plain.get(ee)));
            }
        } catch (Throwable t) {
            stopAll();
            throw t;
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        List<ContainerProcess> all = new ArrayList<>(plain.values());
        all.addAll(agent.values());
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

    @ParameterizedTest
    @FieldSource("ENVIRONMENTS")
    void theAgentAnswersExactlyAsJettyAlone(String ee) throws Exception {
        assertSameAnswers(reference.get(ee), exchange(agent.get(ee)), CHALLENGE);
    }
}
