package dev.ringside.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

/**
 * Notices each container's connector class as its class loader defines it (Tomcat's
 * {@code org.apache.catalina.connector.Connector}, Jetty's
 * {@code org.eclipse.jetty.server.ServerConnector}), whichever loader that is: the common
 * loader of a Tomcat distribution, Jetty's server loader, a Spring Boot fat jar's loader.
 * That class loader is where the adapter classes will be defined. No class is changed yet.
 */
final class ContainerWatch {
    static final String TOMCAT_CONNECTOR = "org.apache.catalina.connector.Connector";
    static final String JETTY_CONNECTOR = "org.eclipse.jetty.server.ServerConnector";

    private ContainerWatch() {}

    static void install(Instrumentation inst, Consumer<String> log) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .ignore(named("java.lang.Object"))
                .type(namedOneOf(TOMCAT_CONNECTOR, JETTY_CONNECTOR))
                .transform((builder, type, loader, module, domain) -> builder)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                                 boolean loaded, DynamicType dynamicType) {
                        String container = type.getName().equals(TOMCAT_CONNECTOR) ? "Tomcat" : "Jetty";
                        if (seen.add(container + "@" + System.identityHashCode(loader))) {
                            log.accept("found " + container + " (" + type.getName() + " in " + loaderName(loader)
                                    + "); its connectors stay the container's until the " + container + " adapter lands");
                        }
                    }
                })
                .installOn(inst);
    }

    private static String loaderName(ClassLoader loader) {
        if (loader == null) return "the bootstrap loader";
        String name = loader.getName();
        return name != null ? name : loader.getClass().getName();
    }
}
