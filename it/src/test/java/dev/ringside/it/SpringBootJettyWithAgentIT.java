package dev.ringside.it;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Spring Boot sample on embedded Jetty as Spring Boot 3.5 brings it (spring-boot-app-jetty.jar:
 * {@code spring-boot-starter-jetty}, Jetty 12.0, ee10): the same answers with and without the agent
 * ({@link SpringBootJarChecks}). Ringside's Jetty adapter is built for Jetty 12.1, whose core API
 * differs from 12.0's, so the agent leaves this Jetty's connector alone and says so in one line:
 * no io_uring in the JVM, Jetty's own {@code ServerConnector} answering.
 */
class SpringBootJettyWithAgentIT extends SpringBootJarChecks {
    @Override
    String jarProperty() {
        return "ringside.spring-boot-app-jetty.jar";
    }

    @Test
    void theAgentFindsJetty12_0AndLeavesItToJettyWithOneLine() throws Exception {
        String out = assertAgentFound("Jetty", "org.eclipse.jetty.server.ServerConnector");
        // Seen when Spring Boot's JettyWebServer sets its held-back connectors on the started server.
        List<String> left = out.lines().filter(l -> l.contains("left to Jetty")).toList();
        assertEquals(1, left.size(), out);
        assertTrue(left.getFirst().contains("ringside: Jetty connector 127.0.0.1:" + agentPort
                + " left to Jetty: Jetty 12.0."), left.getFirst());
        assertTrue(left.getFirst().contains("(Ringside's Jetty adapter needs 12.1 or later)"), left.getFirst());
        assertFalse(out.contains("takes its place"), out);
        assertFalse(out.contains("Ringside serves /"), out);
        assertTrue(out.contains("Jetty started on port " + agentPort + " (http/1.1)"), out);
        assertEquals(0, ioUringDescriptors(agentProcess()));
        assertEquals(0, ioUringDescriptors(plainProcess()));
    }
}
