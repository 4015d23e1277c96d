package dev.ringside.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Spring Boot sample on embedded Tomcat (spring-boot-app.jar): the same answers with and without
 * the agent ({@link SpringBootJarChecks}), the agent finding embedded Tomcat in the loader Spring
 * Boot's launcher defines it in, and Ringside serving its port.
 */
class SpringBootWithAgentIT extends SpringBootJarChecks implements RejectsMalformedChunkedBodies {
    @Override
    String jarProperty() {
        return "ringside.spring-boot-app.jar";
    }

    @Test
    void theAgentFindsEmbeddedTomcatInSpringBootsLoader() throws Exception {
        // Spring Boot's launcher defines the application's classes, embedded Tomcat included,
        // in its own loader: that is where a Tomcat adapter has to be defined.
        assertAgentFound("Tomcat", "org.apache.catalina.connector.Connector");
    }

    @Test
    void theAgentServesSpringBootsPortThroughIoUring() throws Exception {
        String out = Files.readString(agentLog);
        assertEquals(1, out.lines().filter(l -> l.contains("Ringside's protocol handler takes its place")).count(), out);
        assertEquals(1, out.lines().filter(l -> l.contains("Ringside serves /127.0.0.1:" + agentPort + " for Tomcat"))
                .count(), out);
        assertTrue(ioUringDescriptors(agentProcess()) >= 1, "io_uring descriptors in the agent's JVM");
        assertFalse(out.contains("sun.misc.Unsafe"), "the JDK has nothing to warn about:\n" + out);
        assertEquals(0, ioUringDescriptors(plainProcess()));
    }
}
