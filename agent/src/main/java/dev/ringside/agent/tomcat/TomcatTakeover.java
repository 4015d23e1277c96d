package dev.ringside.agent.tomcat;

import dev.ringside.agent.BridgeLoader;

import java.util.function.Consumer;

/**
 * Called from inside Tomcat's {@code ProtocolHandler.create} (the advice below is inlined
 * there): where Tomcat would create its plaintext HTTP/1.1 NIO handler, Ringside's takes its
 * place. Anything that goes wrong leaves Tomcat's own handler in place, with one log line.
 */
public final class TomcatTakeover {
    static final String TOMCAT_NIO = "org.apache.coyote.http11.Http11NioProtocol";
    static final String RINGSIDE = "dev.ringside.bridge.tomcat.RingsideProtocol";

    private static volatile BridgeLoader loader;
    private static volatile Consumer<String> log = s -> { };

    private TomcatTakeover() {
    }

    public static void install(BridgeLoader l, Consumer<String> logger) {
        loader = l;
        log = logger;
    }

    /** Tomcat's handler, or Ringside's in its place. */
    public static Object replace(Object created) {
        if (created == null || !TOMCAT_NIO.equals(created.getClass().getName()) || loader == null) {
            return created;
        }
        try {
            Class<?> ours = loader.load(created.getClass().getClassLoader(), RINGSIDE);
            Object handler = ours.getConstructor().newInstance();
            log.accept("Tomcat HTTP/1.1 connector: Ringside's protocol handler takes its place (TLS connectors stay"
                    + " Tomcat's)");
            return handler;
        } catch (Throwable t) {
            log.accept("Tomcat HTTP/1.1 connector left to Tomcat: the adapter did not install (" + t + ")");
            return created;
        }
    }
}
