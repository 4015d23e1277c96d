package dev.ringside.agent;

import dev.ringside.agent.jetty.AddConnectorAdvice;
import dev.ringside.agent.jetty.ServerStartAdvice;
import dev.ringside.agent.jetty.SetConnectorsAdvice;
import dev.ringside.agent.tomcat.ProtocolHandlerAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.lang.instrument.Instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * The agent's only changes to container classes. Tomcat: one advice at the exit of the static
 * method where its HTTP connector's handler is created. Jetty: advices at the entry of
 * {@code Server.doStart()}, {@code setConnectors} and {@code addConnector}, where the server's
 * connectors are final or change on a running server. Classes already loaded (an agent attached
 * late) are retransformed; nothing else of the application is touched.
 */
final class ContainerHooks {
    private ContainerHooks() {
    }

    static void install(Instrumentation inst) {
        // Inlined advice needs no class injection; "safe" keeps Byte Buddy from probing
        // sun.misc.Unsafe, which makes JDK 24+ print a warning into the application's output.
        // (The property name is relocated with Byte Buddy, so it is read from the shaded package.)
        String safe = net.bytebuddy.ByteBuddy.class.getPackageName() + ".safe";
        if (System.getProperty(safe) == null) {
            System.setProperty(safe, "true");
        }
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.Listener.StreamWriting.toSystemError().withErrorsOnly())
                .type(named("org.apache.coyote.ProtocolHandler"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(ProtocolHandlerAdvice.class)
                                .on(named("create").and(isStatic()).and(takesArguments(String.class)))))
                .type(named("org.eclipse.jetty.server.Server"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ServerStartAdvice.class).on(named("doStart").and(takesNoArguments())))
                        .visit(Advice.to(SetConnectorsAdvice.class).on(named("setConnectors").and(takesArguments(1))))
                        .visit(Advice.to(AddConnectorAdvice.class).on(named("addConnector").and(takesArguments(1)))))
                .installOn(inst);
    }
}
