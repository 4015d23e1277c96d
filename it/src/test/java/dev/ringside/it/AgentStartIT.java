package dev.ringside.it;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent as a user adds it: one start line that says what it did or why it did nothing,
 * and an application that runs as without it either way.
 */
class AgentStartIT {
    private static final String APP = "dev.ringside.it.apps.PlainApp";

    private static void assertAppRanUntouched(String out) {
        assertTrue(out.contains("connector stand-in"), out);
        assertTrue(out.contains("own byte buddy works, from byte-buddy-1.17.8.jar"), out);
        assertTrue(out.contains("app done"), out);
    }

    private static long lines(String out, String needle) {
        return out.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void activeItSaysSoOnceAndWatchesForContainers() throws Exception {
        String out = AgentRun.run(null, List.of("--enable-native-access=ALL-UNNAMED"), Map.of(), APP);
        assertEquals(1, lines(out, "ringside: active (premain)"), out);
        assertFalse(out.contains("restricted method"), "with the flag the JDK does not warn: " + out);
        assertTrue(out.contains("DEFER_TASKRUN") || out.contains("kernel"), out);
        assertEquals(1, lines(out, "ringside: found Tomcat (org.apache.catalina.connector.Connector in app)"), out);
        assertAppRanUntouched(out);
    }

    @Test
    void withoutTheNativeAccessFlagItStillRunsAndTheJdkNamesTheFlag() throws Exception {
        String out = AgentRun.run(null, List.of(), Map.of(), APP);
        assertEquals(1, lines(out, "ringside: active (premain)"), out);
        // JDK 25 warns once (--illegal-native-access=warn is the default) and names the flag itself.
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
        assertAppRanUntouched(out);
    }

    @Test
    void disabledBySystemPropertyItDoesNothing() throws Exception {
        String out = AgentRun.run(null, List.of("-Dringside.enabled=false"), Map.of(), APP);
        assertEquals(1, lines(out, "ringside: disabled by -Dringside.enabled; the application runs untouched"), out);
        assertFalse(out.contains("found Tomcat"), "nothing was installed: " + out);
        assertAppRanUntouched(out);
    }

    @Test
    void agentArgumentsBeatSystemPropertiesWhichBeatTheEnvironment() throws Exception {
        String byArg = AgentRun.run("enabled=false", List.of("-Dringside.enabled=true"), Map.of(), APP);
        assertTrue(byArg.contains("ringside: disabled by agent argument enabled"), byArg);

        String byEnv = AgentRun.run(null, List.of(), Map.of("RINGSIDE_ENABLED", "false"), APP);
        assertTrue(byEnv.contains("ringside: disabled by RINGSIDE_ENABLED"), byEnv);

        String propOverEnv = AgentRun.run(null, List.of("-Dringside.enabled=true", "--enable-native-access=ALL-UNNAMED"),
                Map.of("RINGSIDE_ENABLED", "false"), APP);
        assertTrue(propOverEnv.contains("ringside: active"), propOverEnv);
    }

    @Test
    void withoutIoUringItSaysWhyAndDoesNothing() throws Exception {
        // A JVM that denies native access cannot reach io_uring: the same hand-back as an old
        // kernel, a seccomp profile or kernel.io_uring_disabled, and one we can cause here.
        String out = AgentRun.run(null, List.of("--illegal-native-access=deny"), Map.of(), APP);
        assertEquals(1, lines(out, "ringside: io_uring unavailable: "), out);
        assertTrue(out.contains("the application runs untouched"), out);
        assertFalse(out.contains("found Tomcat"), out);
        assertAppRanUntouched(out);
    }

    @Test
    void byteBuddyInsideTheAgentIsRelocated() throws Exception {
        try (JarFile jar = new JarFile(AgentRun.agentJar().toFile())) {
            List<String> leaked = jar.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && (n.startsWith("net/bytebuddy/") || n.contains("/net/bytebuddy/")))
                    .toList();
            assertEquals(List.of(), leaked, "classes under Byte Buddy's own package would clash with the application's");
            assertTrue(jar.stream().anyMatch(e -> e.getName().startsWith("dev/ringside/agent/shaded/bytebuddy/")));
            assertEquals("dev.ringside.agent.RingsideAgent", jar.getManifest().getMainAttributes().getValue("Premain-Class"));
        }
    }
}
