package dev.ringside.agent;

import dev.ringside.agent.jetty.JettyTakeover;
import dev.ringside.agent.tomcat.TomcatTakeover;

import java.lang.instrument.Instrumentation;

/**
 * {@code -javaagent:ringside-agent.jar}. It decides once, at start, whether Ringside may run
 * in this JVM, and says so in one line. When it may not (disabled, no io_uring), it installs
 * nothing at all: the application and its container run exactly as without the agent.
 *
 * <p>When it may, it hooks the place each container settles its plaintext HTTP connector (Tomcat:
 * {@code ProtocolHandler.create}; Jetty: the {@code Server}'s connectors as it starts) so that
 * Ringside's adapter takes its place; the adapter's classes are defined in the container's own
 * class loader ({@link BridgeClasses}).
 */
public final class RingsideAgent {
    private static final String SHARED_LOOP = "dev/ringside/bridge/loop/";
    private static final String SHARED_ROUTER = "dev/ringside/bridge/router/";

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
            config.threads(); // every value parsed now: a typo disables Ringside, never the JVM
            config.maxBodyBytes();
            config.dispatch();
            config.staticPath();
            config.fileThreads();
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
        publish(config);
        BridgeClasses.init(inst);
        // Each adapter with what both share: the loop's side (static path, upgrades) and the router.
        TomcatTakeover.install((loader, name) -> BridgeClasses.load(loader, name, "dev/ringside/bridge/tomcat/",
                SHARED_LOOP, SHARED_ROUTER), RingsideAgent::log);
        JettyTakeover.install((loader, name) -> BridgeClasses.load(loader, name, "dev/ringside/bridge/jetty/",
                SHARED_LOOP, SHARED_ROUTER), RingsideAgent::log);
        try {
            ContainerHooks.install(inst);
        } catch (RuntimeException | LinkageError e) {
            log("the container hooks did not install (" + e + "); the application runs untouched");
            return;
        }
        ContainerWatch.install(inst, RingsideAgent::log);
        log("active (" + how + "): io_uring ready (" + probe.description() + "); " + config.threads()
                + " loop(s) configured");
    }

    /** The resolved settings, for the bridge (which cannot see this class) to read. */
    private static void publish(AgentConfig config) {
        System.setProperty("ringside.threads", Integer.toString(config.threads()));
        System.setProperty("ringside.dispatch", config.dispatch());
        System.setProperty("ringside.staticPath", Boolean.toString(config.staticPath()));
        System.setProperty("ringside.fileThreads", Integer.toString(config.fileThreads()));
        Long maxBody = config.maxBodyBytes();
        if (maxBody != null) {
            System.setProperty("ringside.maxBodyBytes", maxBody.toString());
        }
    }

    /** One line, on stderr through System.Logger's default (the application's logging is not touched). */
    static void log(String message) {
        LOG.log(System.Logger.Level.INFO, "ringside: " + message);
    }
}
