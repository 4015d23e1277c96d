package dev.ringside.agent.jetty;

import dev.ringside.agent.BridgeLoader;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * Called from inside Jetty's {@code Server} (the advices beside this class are inlined there): at
 * the entry of {@code doStart()}, when every configuration step is over and nothing is bound, and
 * at the entry of {@code setConnectors}/{@code addConnector} on a server already running (Spring
 * Boot sets its connectors again after starting the server without them). The decisions are the
 * bridge's {@code dev.ringside.bridge.jetty.ConnectorTakeover}, defined in the loader that defined
 * {@code Server} (it needs Jetty's types); this side only finds it. Anything that goes wrong leaves
 * Jetty's connectors in place, with one log line.
 */
public final class JettyTakeover {
    static final String BRIDGE = "dev.ringside.bridge.jetty.ConnectorTakeover";
    static final String SERVER = "org.eclipse.jetty.server.Server";

    private static volatile BridgeLoader loader;
    private static volatile Consumer<String> log = s -> { };
    /** Set while the bridge swaps a starting server's connectors: that setConnectors call is ours. */
    private static final ThreadLocal<Boolean> swapping = new ThreadLocal<>();

    private JettyTakeover() {
    }

    public static void install(BridgeLoader l, Consumer<String> logger) {
        loader = l;
        log = logger;
    }

    /** At the entry of {@code Server.doStart()}. */
    public static void beforeStart(Object server) {
        if (loader == null || swapping.get() != null) {
            return;
        }
        swapping.set(Boolean.TRUE);
        try {
            bridge(server, "beforeStart").invoke(null, server, log);
        } catch (Throwable t) {
            failed(t);
        } finally {
            swapping.remove();
        }
    }

    /** At the entry of {@code Server.setConnectors(Connector[])}: the connectors Jetty will keep. */
    public static Object[] connectorsSet(Object server, Object[] connectors) {
        if (loader == null || swapping.get() != null || connectors == null || connectors.length == 0) {
            return connectors;
        }
        Object out = call(server, "setWhenRunning", connectors);
        return out instanceof Object[] a ? a : connectors;
    }

    /** At the entry of {@code Server.addConnector(Connector)}: the connector Jetty will add. */
    public static Object connectorAdded(Object server, Object connector) {
        if (loader == null || swapping.get() != null || connector == null) {
            return connector;
        }
        Object out = call(server, "addedWhenRunning", connector);
        return out != null ? out : connector;
    }

    /** The bridge's answer, or null (and one line) when it could not be asked. */
    private static Object call(Object server, String method, Object connectors) {
        try {
            return bridge(server, method).invoke(null, server, connectors, log);
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    private static Method bridge(Object server, String name) throws Exception {
        Class<?> jettys = server.getClass();
        while (!SERVER.equals(jettys.getName()) && jettys.getSuperclass() != null) {
            jettys = jettys.getSuperclass(); // an application's subclass: Jetty's own loader, not the subclass's
        }
        Class<?> takeover = loader.load(jettys.getClassLoader(), BRIDGE);
        for (Method m : takeover.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new NoSuchMethodException(BRIDGE + "." + name);
    }

    private static void failed(Throwable t) {
        Throwable cause = t instanceof InvocationTargetException i && i.getCause() != null ? i.getCause() : t;
        log.accept("Jetty connectors left to Jetty: the adapter did not install (" + cause + ")");
    }
}
