package dev.ringside.it.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The real Jetty 12.1 distribution ({@code jetty-home}, unpacked by maven-dependency-plugin into
 * {@code it/target/jetty}), run as a user runs it: a fresh {@code JETTY_BASE} per instance, laid out by
 * {@code start.jar --add-modules=…} for one EE environment ({@code ee10} or {@code ee11}), and
 * {@code java [jvm args] -jar start.jar} in it. Loopback only; stopped by {@link ContainerProcess#close()}.
 */
public final class JettyDistribution {
    /** The EE environments the sample WAR deploys in unchanged (samples/README.md). */
    public static final List<String> ENVIRONMENTS = List.of("ee10", "ee11");
    /** {@link #launchWithHttps}'s key, in the base. */
    private static final String KEYSTORE = "etc/keystore.p12";
    private static final String KEYSTORE_PASSWORD = "ringside-it";

    private JettyDistribution() {}

    public static Path home() {
        Path home = Path.of(System.getProperty("ringside.jetty.home", "target/jetty/jetty-home-12.1.12"));
        if (!Files.isRegularFile(home.resolve("start.jar"))) {
            throw new IllegalStateException("no Jetty distribution at " + home + " (run with ./mvnw verify)");
        }
        return home;
    }

    /**
     * Lays out a fresh JETTY_BASE for {@code ee} with the sample WAR and its {@code sample} realm, and starts
     * Jetty in it with {@code jvmArgs}; {@link ContainerProcess#awaitReady} waits for the WAR.
     */
    public static ContainerProcess launch(String ee, String name, List<String> jvmArgs) throws Exception {
        return launch(ee, name, jvmArgs, List.of());
    }

    /** {@link #launch(String, String, List)} with more of jetty-home's modules enabled ({@code http2c}, ...). */
    public static ContainerProcess launch(String ee, String name, List<String> jvmArgs, List<String> moreModules)
            throws Exception {
        return launch(ee, name, jvmArgs, moreModules, List.of(), base -> {});
    }

    /** {@link #launch(String, String, List)} with more of jetty-home's properties ({@code jetty.http.idleTimeout=2000}, ...). */
    public static ContainerProcess launchWithProperties(String ee, String name, List<String> jvmArgs, List<String> properties)
            throws Exception {
        return launch(ee, name, jvmArgs, List.of(), properties, base -> {});
    }

    /**
     * {@link #launch(String, String, List)} with jetty-home's {@code https} module as well (and so its
     * {@code ssl} module): a TLS connector on 127.0.0.1:{@code httpsPort}, sharing the {@code http}
     * connector's configuration as the modules lay it out, with a self-signed key for 127.0.0.1 that the
     * JDK's keytool makes in {@code etc/keystore.p12} ({@link #trustingItsKey} trusts it). Not jetty-home's
     * {@code test-keystore} module: it downloads Bouncy Castle from Maven Central into every fresh base.
     */
    public static ContainerProcess launchWithHttps(String ee, String name, List<String> jvmArgs, int httpsPort)
            throws Exception {
        return launch(ee, name, jvmArgs, List.of("https"), List.of("jetty.ssl.host=127.0.0.1", "jetty.ssl.port=" + httpsPort,
                "jetty.sslContext.keyStorePath=" + KEYSTORE, "jetty.sslContext.keyStoreType=PKCS12",
                "jetty.sslContext.keyStorePassword=" + KEYSTORE_PASSWORD), JettyDistribution::makeKey);
    }

    /** An SSL context whose only trusted certificate is the one {@link #launchWithHttps} made for {@code jetty}. */
    public static SSLContext trustingItsKey(ContainerProcess jetty) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(jetty.base().resolve(KEYSTORE))) {
            keys.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static ContainerProcess launch(String ee, String name, List<String> jvmArgs, List<String> moreModules,
                                           List<String> moreProperties, Prepare prepare) throws Exception {
        if (!ENVIRONMENTS.contains(ee)) throw new IllegalArgumentException(ee);
        Path home = home().toAbsolutePath();
        Path base = ContainerProcess.newBase("jetty", ee + "-" + name);
        int port = ContainerProcess.freePort();
        // Jetty's temporary directories go to ${jetty.base}/work when it exists, not to /tmp.
        for (String dir : List.of("etc", "logs", "webapps", "work")) Files.createDirectories(base.resolve(dir));
        prepare.base(base);
        List<String> args = new ArrayList<>(List.of("--add-modules=http," + ee + "-deploy," + ee + "-annotations,"
                + ee + "-apache-jsp," + ee + "-websocket-jakarta," + ee + "-security"
                + moreModules.stream().map(m -> "," + m).collect(java.util.stream.Collectors.joining()),
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        args.addAll(moreProperties);
        addModules(home, base, args.toArray(String[]::new));
        writeSampleRealm(base);
        // Deployed exploded, as a directory of plain files, which Ringside's loop may send itself. Not
        // the WAR left for Jetty to extract: the copies would carry the time of extraction as
        // Last-Modified, different in every instance; these carry the WAR entries' times.
        explode(ContainerProcess.war(), base.resolve("webapps").resolve(ContainerProcess.CONTEXT.substring(1)));

        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", home.resolve("start.jar").toString()));
        return ContainerProcess.start("Jetty " + ee + " " + name, base, port, base.resolve("logs/console.log"), env(new ProcessBuilder(cmd), home, base));
    }

    private static void explode(Path war, Path dir) throws java.io.IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(war))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path to = dir.resolve(e.getName()).normalize();
                if (!to.startsWith(dir)) throw new java.io.IOException("entry outside the WAR: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                    continue;
                }
                Files.createDirectories(to.getParent());
                Files.copy(in, to);
                Files.setLastModifiedTime(to, e.getLastModifiedTime());
            }
        }
    }

    /** What a launch does to its fresh base before the modules are added. */
    private interface Prepare {
        void base(Path base) throws Exception;
    }

    /** A self-signed EC key for 127.0.0.1 (and localhost), valid for a week, in {@link #KEYSTORE}. */
    private static void makeKey(Path base) throws Exception {
        runToEnd("keytool", new ProcessBuilder(ContainerProcess.javaHome().resolve("bin/keytool").toString(), "-genkeypair",
                "-alias", "jetty", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "7", "-storetype", "PKCS12",
                "-keystore", base.resolve(KEYSTORE).toString(), "-storepass", KEYSTORE_PASSWORD),
                base.resolve("logs/keytool.log"));
    }

    /** {@code java -jar start.jar --add-modules=… prop=value…} in {@code base}: writes start.d/*.ini, exits. */
    private static void addModules(Path home, Path base, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", home.resolve("start.jar").toString()));
        cmd.addAll(List.of(args));
        runToEnd("start.jar --add-modules", env(new ProcessBuilder(cmd), home, base).directory(base.toFile()),
                base.resolve("logs/add-modules.log"));
    }

    /** Runs {@code pb} (its output into {@code log}) for up to 30 s; fails, with the log, unless it ends well. */
    private static void runToEnd(String what, ProcessBuilder pb, Path log) throws Exception {
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not end:\n" + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + " exited with " + p.exitValue() + ":\n" + Files.readString(log));
        }
    }

    /** A HashLoginService named {@code sample}, as samples/README.md configures it. */
    private static void writeSampleRealm(Path base) throws Exception {
        Files.writeString(base.resolve("etc/sample-realm.properties"),
                ContainerProcess.USER + ": " + ContainerProcess.PASSWORD + ",sample\n");
        Files.writeString(base.resolve("etc/sample-realm.xml"), """
                <?xml version="1.0"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure id="Server" class="org.eclipse.jetty.server.Server">
                  <Call id="ResourceFactory" class="org.eclipse.jetty.util.resource.ResourceFactory" name="of">
                    <Arg><Ref refid="Server"/></Arg>
                    <Call id="sampleRealm" name="newResource">
                      <Arg><Property name="jetty.base"/>/etc/sample-realm.properties</Arg>
                    </Call>
                  </Call>
                  <Call name="addBean"><Arg>
                    <New class="org.eclipse.jetty.security.HashLoginService">
                      <Set name="name">sample</Set>
                      <Set name="config"><Ref refid="sampleRealm"/></Set>
                    </New>
                  </Arg></Call>
                </Configure>
                """);
        Files.writeString(base.resolve("start.d/sample-realm.ini"), "etc/sample-realm.xml\n");
    }

    private static ProcessBuilder env(ProcessBuilder pb, Path home, Path base) {
        var env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("JETTY_") || k.equals("JAVA_OPTIONS"));
        env.put("JETTY_HOME", home.toString());
        env.put("JETTY_BASE", base.toString());
        return pb;
    }

    /** The JDK 25 the tests run on (toolchain), never the default {@code java}. */
    private static String java() {
        return ContainerProcess.javaHome().resolve("bin/java").toString();
    }
}
