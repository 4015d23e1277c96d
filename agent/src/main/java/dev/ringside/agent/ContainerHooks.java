package dev.ringside.agent;

import dev.ringside.agent.tomcat.ProtocolHandlerAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.lang.instrument.Instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The agent's only changes to container classes: one advice at the exit of the method where
 * each container creates its HTTP connector's handler. Classes already loaded (an agent attached
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
                .installOn(inst);
    }
}
