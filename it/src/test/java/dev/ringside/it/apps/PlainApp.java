package dev.ringside.it.apps;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * An application that knows nothing of Ringside: it loads a class named like Tomcat's
 * connector and uses its own (older) Byte Buddy, which must work exactly as without the agent.
 */
public final class PlainApp {
    public static void main(String[] args) throws Exception {
        System.out.println(new org.apache.catalina.connector.Connector().describe());
        Class<?> made = new ByteBuddy()
                .subclass(Object.class)
                .method(named("toString")).intercept(FixedValue.value("own byte buddy works, from "
                        + java.nio.file.Path.of(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .getFileName()))
                .make()
                .load(PlainApp.class.getClassLoader())
                .getLoaded();
        System.out.println(made.getDeclaredConstructor().newInstance());
        System.out.println("app done");
    }
}
