package dev.ringside.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Notices each container's connector class as its class loader defines it (Tomcat's
 * {@code org.apache.catalina.connector.Connector}, Jetty's
 * {@code org.eclipse.jetty.server.ServerConnector}), whichever loader that is: the common
 * loader of a Tomcat distribution, Jetty's server loader, a Spring Boot fat jar's loader.
 * That class loader is where the adapter classes are defined. The watch only looks and reports:
 * it returns no bytes (a plain JDK transformer, not Byte Buddy, for exactly that reason); the
 * changes are {@link ContainerHooks}'.
 */
final class ContainerWatch implements ClassFileTransformer {
    static final String TOMCAT_CONNECTOR = "org/apache/catalina/connector/Connector";
    static final String JETTY_CONNECTOR = "org/eclipse/jetty/server/ServerConnector";

    private final Consumer<String> log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private ContainerWatch(Consumer<String> log) {
        this.log = log;
    }

    static void install(Instrumentation inst, Consumer<String> log) {
        inst.addTransformer(new ContainerWatch(log), false);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                            byte[] classfile) {
        if (TOMCAT_CONNECTOR.equals(className) || JETTY_CONNECTOR.equals(className)) {
            String container = TOMCAT_CONNECTOR.equals(className) ? "Tomcat" : "Jetty";
            if (seen.add(container + "@" + System.identityHashCode(loader))) {
                log.accept("found " + container + " (" + className.replace('/', '.') + " in " + loaderName(loader) + ")");
            }
        }
        return null;
    }

    private static String loaderName(ClassLoader loader) {
        if (loader == null) return "the bootstrap loader";
        String name = loader.getName();
        return name != null ? name : loader.getClass().getName();
    }
}
