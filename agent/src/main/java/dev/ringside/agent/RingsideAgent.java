package dev.ringside.agent;

import java.lang.instrument.Instrumentation;

/**
 * {@code -javaagent:ringside-agent.jar}. It decides once, at start, whether Ringside may run
 * in this JVM, and says so in one line. When it may not (disabled, no io_uring), it installs
 * nothing at all: the application and its container run exactly as without the agent.
 *
 * <p>Where this stands: configuration, the io_uring probe, the hand-back paths and watching for
 * Tomcat and Jetty connectors are in place; putting Ringside's adapter in place of a connector
 * comes with the container adapters, so for now a discovered connector is reported and left alone.
 */
public final class RingsideAgent {
    private static final System.Logger LOG = System.getLogger("dev.ringside.agent");
    private static volatile boolean started;

    private RingsideAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, "premain");
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, "attach");
    }

    private static synchronized void start(String args, Instrumentation inst, String how) {
        if (started) {
            log("already active; " + how + " ignored");
            return;
        }
        started = true;
        AgentConfig config;
        try {
            config = AgentConfig.fromJvm(args);
        } catch (RuntimeException e) {
            log("disabled: bad configuration (" + e.getMessage() + "); the application runs untouched");
            return;
        }
        if (!config.enabled()) {
            log("disabled by " + config.sourceOf("enabled") + "; the application runs untouched");
            return;
        }
        UringProbe.Result probe = UringProbe.run();
        if (!probe.available()) {
            log("io_uring unavailable: " + probe.description() + "; the application runs untouched");
            return;
        }
        ContainerWatch.install(inst, RingsideAgent::log);
        log("active (" + how + "): io_uring ready (" + probe.description() + "); " + config.threads()
                + " loop(s) configured");
    }

    /** One line, on stderr through System.Logger's default (the application's logging is not touched). */
    static void log(String message) {
        LOG.log(System.Logger.Level.INFO, "ringside: " + message);
    }
}
