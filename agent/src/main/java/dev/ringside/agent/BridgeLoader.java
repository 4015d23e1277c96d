package dev.ringside.agent;

/**
 * How a takeover has the bridge's classes defined in a container's class loader and gets one of
 * them (the agent's {@link BridgeClasses}, each takeover with the packages its adapter needs).
 */
@FunctionalInterface
public interface BridgeLoader {
    Class<?> load(ClassLoader container, String className) throws Exception;
}
