package dev.ringside.agent.jetty;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the entry of Jetty's {@code Server.setConnectors(Connector[])}: on a running server
 * (Spring Boot's {@code JettyWebServer.start()} sets the connectors it held back), the array
 * Jetty keeps may hold Ringside's connector in place of a plaintext {@code ServerConnector}.
 */
public final class SetConnectorsAdvice {
    private SetConnectorsAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object server,
                      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] connectors) {
        connectors = JettyTakeover.connectorsSet(server, connectors);
    }
}
