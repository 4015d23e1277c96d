package dev.ringside.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.stream.Stream;

/**
 * Defines the servlet-bridge's classes in the class loader that loaded a container.
 *
 * <p>The bridge extends container classes (Tomcat's {@code Http11NioProtocol}, Jetty's
 * connector), so it must live where the container lives: the common loader of a Tomcat
 * distribution, Jetty's server loader, a Spring Boot jar's loader. That is why its classes
 * sit in the agent jar under {@value #PREFIX}, where no class loader finds them by name; the
 * agent reads them and defines them, per container loader, with {@code
 * ClassLoader.defineClass} (java.lang is opened to the agent through Instrumentation, the
 * supported way). The runtime they call stays on the system class path: one copy per JVM.
 */
final class BridgeClasses {
    static final String PREFIX = "META-INF/ringside/bridge/";

    private static Instrumentation instrumentation;
    private static final Map<ClassLoader, Set<String>> defined = new WeakHashMap<>();

    private BridgeClasses() {
    }

    static void init(Instrumentation inst) {
        instrumentation = inst;
    }

    /**
     * Defines, once per loader, every bridge class under the given packages
     * ("dev/ringside/bridge/tomcat/"), and returns the named one.
     */
    static synchronized Class<?> load(ClassLoader loader, String className, String... packages) throws Exception {
        Set<String> done = defined.computeIfAbsent(loader, l -> new java.util.HashSet<>());
        Method define = defineClass();
        for (String pkg : packages) {
            if (!done.add(pkg)) {
                continue;
            }
            for (String entry : entries(pkg)) {
                String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                byte[] bytes;
                try (InputStream in = BridgeClasses.class.getClassLoader().getResourceAsStream(PREFIX + entry)) {
                    bytes = in.readAllBytes();
                }
                define.invoke(loader, name, bytes, 0, bytes.length, (ProtectionDomain) null);
            }
        }
        return Class.forName(className, true, loader);
    }

    private static Method defineClass() throws Exception {
        Module base = ClassLoader.class.getModule();
        Module agent = BridgeClasses.class.getModule();
        if (!base.isOpen("java.lang", agent)) {
            instrumentation.redefineModule(base, Set.of(), Map.of(), Map.of("java.lang", Set.of(agent)), Set.of(),
                    Map.of());
        }
        Method m = ClassLoader.class.getDeclaredMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ProtectionDomain.class);
        m.setAccessible(true);
        return m;
    }

    /** The class entries of one package of the bridge (not its sub-packages), inner classes included. */
    private static List<String> entries(String pkg) throws IOException {
        URI location;
        try {
            location = BridgeClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Path where = Path.of(location);
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(where)) {
            collect(where.resolve(PREFIX), pkg, out);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(where)) {
                collect(jar.getPath("/" + PREFIX), pkg, out);
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no bridge classes for " + pkg + " in " + where);
        }
        // Outer classes before their inner ones: defining an inner class does not need its outer
        // class, but keeping the order stable makes failures reproducible.
        out.sort(null);
        return out;
    }

    private static void collect(Path root, String pkg, List<String> out) throws IOException {
        Path dir = root.resolve(pkg);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".class"))
                    .forEach(f -> out.add(pkg + f.getFileName()));
        }
    }
}
