package dev.ringside.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same Spring Boot sample on Spring Boot 4.0 with {@code spring-boot-starter-jetty} (Jetty 12.1,
 * ee11; spring-boot4-app-jetty.jar): the same answers with and without the agent
 * ({@link SpringBootJarChecks}), and Ringside's connector in place of the {@code ServerConnector}
 * Spring Boot made. Spring Boot's {@code JettyWebServer} starts the server without its connectors and
 * sets them again when it starts them: the takeover happens at that second {@code setConnectors}.
 */
class SpringBoot4JettyWithAgentIT extends SpringBootJarChecks implements RejectsMalformedChunkedBodies {
    @Override
    String jarProperty() {
        return "ringside.spring-boot4-app-jetty.jar";
    }

    @Test
    void theAgentServesSpringBootsJettyPortThroughIoUring() throws Exception {
        String out = assertAgentFound("Jetty", "org.eclipse.jetty.server.ServerConnector");
        assertEquals(1, out.lines().filter(l -> l.contains("ringside: Jetty HTTP/1.1 connector 127.0.0.1:" + agentPort
                + ": Ringside's connector takes its place")).count(), out);
        assertFalse(out.contains("left to Jetty"), out);
        assertEquals(1, out.lines().filter(l -> l.contains("Ringside serves /127.0.0.1:" + agentPort + " for Jetty"))
                .count(), out);
        assertEquals(1, out.lines().filter(l -> l.contains("Started drbj.RingsideConnector@")).count(), out);
        assertTrue(out.contains("Jetty started on port " + agentPort + " (http/1.1)"), out);
        assertTrue(ioUringDescriptors(agentProcess()) >= 1, "io_uring descriptors in the agent's JVM");
        assertEquals(0, ioUringDescriptors(plainProcess()));
    }
}
