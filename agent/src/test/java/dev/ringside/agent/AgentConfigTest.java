package dev.ringside.agent;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

class AgentConfigTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    @Test
    void enabledUnlessSomeoneSaysFalse() {
        assertTrue(AgentConfig.resolve(null, props(), Map.of()).enabled());
        assertTrue(AgentConfig.resolve("", props("ringside.enabled", "true"), Map.of()).enabled());
        assertFalse(AgentConfig.resolve(null, props("ringside.enabled", "false"), Map.of()).enabled());
        assertFalse(AgentConfig.resolve(null, props("ringside.enabled", " FALSE "), Map.of()).enabled());
    }

    @Test
    void argumentsThenSystemPropertiesThenEnvironment() {
        AgentConfig c = AgentConfig.resolve("threads=3", props("ringside.threads", "5"), Map.of("RINGSIDE_THREADS", "7"));
        assertEquals(3, c.threads());
        assertEquals("agent argument threads", c.sourceOf("threads"));
        c = AgentConfig.resolve(null, props("ringside.threads", "5"), Map.of("RINGSIDE_THREADS", "7"));
        assertEquals(5, c.threads());
        assertEquals("-Dringside.threads", c.sourceOf("threads"));
        c = AgentConfig.resolve(null, props(), Map.of("RINGSIDE_THREADS", "7"));
        assertEquals(7, c.threads());
        assertEquals("RINGSIDE_THREADS", c.sourceOf("threads"));
        assertEquals(Runtime.getRuntime().availableProcessors(), AgentConfig.resolve(null, props(), Map.of()).threads());
        assertEquals("default", AgentConfig.resolve(null, props(), Map.of()).sourceOf("threads"));
    }

    @Test
    void fileThreadsDefaultToFourAndMustBeAtLeastOne() {
        assertEquals(4, AgentConfig.resolve(null, props(), Map.of()).fileThreads());
        assertEquals(1, AgentConfig.resolve("fileThreads=1", props(), Map.of()).fileThreads());
        assertEquals(2, AgentConfig.resolve(null, props("ringside.fileThreads", "2"), Map.of()).fileThreads());
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.resolve("fileThreads=0", props(), Map.of()).fileThreads());
    }

    @Test
    void maxBodyBytesIsRingsidesOwnLimitOnlyWhenSomeoneSetsIt() {
        assertNull(AgentConfig.resolve(null, props(), Map.of()).maxBodyBytes());
        assertEquals(1000L, AgentConfig.resolve("maxBodyBytes=1000", props("ringside.maxBodyBytes", "5"), Map.of())
                .maxBodyBytes());
        assertEquals(7L, AgentConfig.resolve(null, props(), Map.of("RINGSIDE_MAXBODYBYTES", "7")).maxBodyBytes());
        assertThrows(NumberFormatException.class,
                () -> AgentConfig.resolve("maxBodyBytes=lots", props(), Map.of()).maxBodyBytes());
    }

    @Test
    void theStaticPathIsOnUnlessTurnedOff() {
        assertTrue(AgentConfig.resolve(null, props(), Map.of()).staticPath());
        assertFalse(AgentConfig.resolve("staticPath=false", props(), Map.of()).staticPath());
        assertFalse(AgentConfig.resolve(null, props(), Map.of("RINGSIDE_STATICPATH", "FALSE")).staticPath());
        assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.resolve(null, props("ringside.staticPath", "off"), Map.of()).staticPath());
    }

    @Test
    void dispatchIsVirtualUnlessSomeoneAsksForTheContainersPool() {
        assertEquals("virtual", AgentConfig.resolve(null, props(), Map.of()).dispatch());
        assertEquals("container", AgentConfig.resolve("dispatch=Container", props(), Map.of()).dispatch());
        assertEquals("container", AgentConfig.resolve(null, props(), Map.of("RINGSIDE_DISPATCH", "container")).dispatch());
        assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.resolve(null, props("ringside.dispatch", "pool"), Map.of()).dispatch());
    }

    @Test
    void argumentStringForms() {
        Map<String, String> m = AgentConfig.parseArguments(" enabled=false , threads=2,ringside.dispatch=virtual,verbose,, ");
        assertEquals(Map.of("enabled", "false", "threads", "2", "dispatch", "virtual", "verbose", "true"), m);
        assertEquals(Map.of(), AgentConfig.parseArguments(null));
    }

    @Test
    void dottedAndDashedKeysMapToEnvironmentNames() {
        AgentConfig c = AgentConfig.resolve(null, props(), Map.of("RINGSIDE_FORCE_CONTAINER", "/api/*"));
        assertEquals("/api/*", c.get("force-container"));
        assertEquals("/api/*", c.get("force.container"));
    }

    @Test
    void theProbeFindsIoUringOnThisMachine() {
        UringProbe.Result r = UringProbe.run();
        assertTrue(r.available(), r.description());
        assertTrue(r.description().startsWith("kernel "), r.description());
    }
}
