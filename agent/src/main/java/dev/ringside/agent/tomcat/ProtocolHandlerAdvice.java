package dev.ringside.agent.tomcat;

import net.bytebuddy.asm.Advice;

/**
 * Inlined at the exit of Tomcat's static {@code ProtocolHandler.create(String)}, through which
 * both server.xml's {@code <Connector protocol="HTTP/1.1">} and Spring Boot's embedded
 * connector obtain their handler. Typed as Object: this code runs inside Tomcat's class.
 */
public final class ProtocolHandlerAdvice {
    private ProtocolHandlerAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Return(readOnly = false, typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC) Object handler) {
        handler = TomcatTakeover.replace(handler);
    }
}
