package dev.ringside.it;

import dev.ringside.it.containers.ContainerProcess;
import dev.ringside.it.containers.TomcatDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ringside.it.SampleAppExchange.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The sample WAR in a real Tomcat 11 distribution (server and web-app class loaders, catalina.sh),
 * without the agent, with it, and with it disabled: the same answers to the same requests, and the
 * agent's own log lines only where it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatWithAgentIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String CHALLENGE = "Basic realm=\"sample\", charset=UTF-8";

    private ContainerProcess plain;
    private ContainerProcess agent;
    private ContainerProcess disabled;
    private Map<String, SampleAppExchange.Answer> reference;

    @BeforeAll
    void startAll() throws Exception {
        String javaagent = "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + " --enable-native-access=ALL-UNNAMED";
        try {
            // Launched together, awaited one by one: the three start in the time of about two.
            plain = TomcatDistribution.launch("plain", "");
            agent = TomcatDistribution.launch("agent", javaagent + " " + ContainerProcess.RECORD_REQUESTS);
            disabled = TomcatDistribution.launch("disabled", javaagent + " -Dringside.enabled=false");
            plain.awaitReady(START);
            agent.awaitReady(START);
            disabled.awaitReady(START);
            reference = exchange(plain);
        } catch (Throwable t) {
            stopAll();
            throw t;
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        for (ContainerProcess i : new ContainerProcess[] {plain, agent, disabled}) {
            if (i != null) i.close();
        }
    }

    @Test
    void withoutTheAgentNothingOfRingsideIsSaid() throws Exception {
        String out = plain.consoleOutput();
        assertTrue(out.contains("Server startup"), out);
        assertFalse(out.contains("ringside:"), out);
    }

    @Test
    void theAgentIsActiveAndFindsTomcatsConnectorInTheServerLoader() throws Exception {
        String out = agent.consoleOutput();
        assertEquals(1, lines(out, "ringside: active"), out);
        // catalina.sh puts only bootstrap.jar and tomcat-juli.jar on the class path; Bootstrap defines
        // Connector in its "common" loader (catalina.properties' common.loader), an unnamed URLClassLoader,
        // which the agent names by its class. Not the application class loader, not the web-app loader.
        assertEquals(1, lines(out, "ringside: found Tomcat (org.apache.catalina.connector.Connector in java.net.URLClassLoader)"), out);
        assertEquals(1, lines(out, "ringside: found Tomcat"), out);
    }

    @Test
    void theAgentServesTheConnectorsPortThroughIoUring() throws Exception {
        String out = agent.consoleOutput();
        assertEquals(1, lines(out, "ringside: Tomcat HTTP/1.1 connector: Ringside's protocol handler takes its place"), out);
        assertEquals(1, lines(out, "Ringside serves /127.0.0.1:" + agent.port() + " for Tomcat"), out);
        assertTrue(agent.ioUringDescriptors() >= 1, "io_uring descriptors in the Tomcat JVM");
        assertEquals(0, plain.ioUringDescriptors());
        assertEquals(0, disabled.ioUringDescriptors());
    }

    @Test
    void itsJmxCountersShowTheStaticPathAndTheContainerAtWork() throws Exception {
        exchange(agent); // the sample's requests: servlets, JSP, and static files after the first
        java.util.Map<String, Long> c = agent.ringsideCounters("Requests", "FileResponses", "Offloaded");
        assertTrue(c.getOrDefault("Requests", 0L) >= 15, c.toString());
        assertTrue(c.getOrDefault("FileResponses", 0L) >= 1, "static files sent by the loop: " + c);
        assertTrue(c.getOrDefault("Offloaded", 0L) >= 10, "requests served by Tomcat's pipeline: " + c);
        assertEquals(java.util.Map.of(), plain.ringsideCounters("Requests"), "no Ringside server without the agent");
    }

    @Test
    void itsJfrEventsSayHowEachRequestWasRouted() throws Exception {
        exchange(agent);
        assertRouted(agent.recordedEvents(), ContainerProcess.CONTEXT);
    }

    @Test
    void theWebSocketEchoWorksThroughTheAgentsPort() throws Exception {
        for (ContainerProcess t : new ContainerProcess[] {plain, agent}) {
            assertWebSocketEchoes(t);
        }
    }

    @Test
    void theAgentAnswersExactlyAsTomcatAlone() throws Exception {
        assertSameAnswers(reference, exchange(agent), CHALLENGE);
    }

    @TestFactory
    Stream<DynamicTest> everyAnswerIsTomcatsByteForByte() {
        return sameBytes("Tomcat", plain, agent);
    }

    @Test
    void disabledItSaysSoAndAnswersExactlyAsTomcatAlone() throws Exception {
        String out = disabled.consoleOutput();
        assertDisabled(out);
        assertSameAnswers(reference, exchange(disabled), CHALLENGE);
    }
}
