package dev.ringside.agent.jetty;

import net.bytebuddy.asm.Advice;

/**
 * Inlined at the entry of Jetty's {@code Server.doStart()}: jetty.xml and its modules (which
 * still change a connector after adding it: h2c, PROXY protocol) or the embedding code are done,
 * and no connector is open yet. Typed as Object: this code runs inside Jetty's class.
 */
public final class ServerStartAdvice {
    private ServerStartAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object server) {
        JettyTakeover.beforeStart(server);
    }
}
