package dev.ringside.it.containers;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Tomcat distribution (unpacked by maven-dependency-plugin into {@code it/target/tomcat}),
 * run as a user runs it: a fresh {@code CATALINA_BASE} per instance and {@code bin/catalina.sh run}
 * with {@code CATALINA_OPTS}. Loopback only; every process started is stopped by {@link Instance#close()},
 * and by a JVM shutdown hook if a test forgot.
 */
public final class TomcatDistribution {
    public static final String CONTEXT = "/servlet-app";
    public static final String USER = "sample-user";
    public static final String PASSWORD = "sample-password";

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TomcatDistribution::kill), "tomcat-reaper"));
    }

    private TomcatDistribution() {}

    public static Path home() {
        Path home = Path.of(System.getProperty("ringside.tomcat.home", "target/tomcat/apache-tomcat-11.0.24"));
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException("no Tomcat distribution at " + home + " (run with ./mvnw verify)");
        }
        return home;
    }

    public static Path war() {
        Path war = Path.of(System.getProperty("ringside.servlet-app.war", "../samples/servlet-app/target/servlet-app.war"));
        if (!Files.isRegularFile(war)) throw new IllegalStateException("no sample WAR at " + war + " (run with ./mvnw verify)");
        return war;
    }

    /** Lays out a fresh CATALINA_BASE and starts Tomcat in it; {@link Instance#awaitReady()} waits for the WAR. */
    public static Instance launch(String name, String catalinaOpts) throws Exception {
        Path home = home();
        Path base = Path.of("target", "tomcat-bases", name + "-" + System.nanoTime()).toAbsolutePath();
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) Files.createDirectories(base.resolve(dir));
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path f : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(f, base.resolve("conf").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        int port = freePort();
        rewriteServerXml(base.resolve("conf/server.xml"), port);
        Files.writeString(base.resolve("conf/tomcat-users.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                  <role rolename="sample"/>
                  <user username="%s" password="%s" roles="sample"/>
                </tomcat-users>
                """.formatted(USER, PASSWORD));
        Files.copy(war(), base.resolve("webapps").resolve(CONTEXT.substring(1) + ".war"));

        Path console = base.resolve("logs/console.log");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", home.resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        var env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("RINGSIDE_") || k.startsWith("CATALINA_") || k.startsWith("JRE_")
                || k.equals("JAVA_OPTS") || k.equals("JPDA_OPTS"));
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK 25 the tests run on (toolchain)
        env.put("CATALINA_HOME", home.toAbsolutePath().toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_OPTS", catalinaOpts);
        Process process = pb.start();
        LIVE.add(process);
        return new Instance(name, base, port, console, process);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The distribution's server.xml, with: no shutdown port, one HTTP connector on 127.0.0.1:port, no AJP, no access log. */
    private static void rewriteServerXml(Path serverXml, int port) throws Exception {
        var dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = dbf.newDocumentBuilder().parse(serverXml.toFile());
        Element server = doc.getDocumentElement();
        server.setAttribute("port", "-1");
        boolean http = false;
        for (Element connector : elements(doc, "Connector")) {
            String protocol = connector.getAttribute("protocol");
            if (!http && !protocol.startsWith("AJP") && !"true".equals(connector.getAttribute("SSLEnabled"))) {
                connector.setAttribute("port", Integer.toString(port));
                connector.setAttribute("address", "127.0.0.1");
                connector.removeAttribute("redirectPort");
                http = true;
            } else {
                connector.getParentNode().removeChild(connector);
            }
        }
        if (!http) throw new IllegalStateException("no HTTP connector in " + serverXml);
        for (Element valve : elements(doc, "Valve")) {
            if (valve.getAttribute("className").endsWith("AccessLogValve")) valve.getParentNode().removeChild(valve);
        }
        for (Element host : elements(doc, "Host")) host.setAttribute("autoDeploy", "false");
        var t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        t.transform(new DOMSource(doc), new StreamResult(serverXml.toFile()));
    }

    private static List<Element> elements(Document doc, String tag) {
        NodeList list = doc.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            Node n = list.item(i);
            if (n instanceof Element e) out.add(e);
        }
        return out;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** One running Tomcat. */
    public static final class Instance implements AutoCloseable {
        private final String name;
        private final Path base;
        private final int port;
        private final Path console;
        private final Process process;

        Instance(String name, Path base, int port, Path console, Process process) {
            this.name = name;
            this.base = base;
            this.port = port;
            this.console = console;
            this.process = process;
        }

        public URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + port + CONTEXT + pathAndQuery);
        }

        public int port() { return port; }

        public Path base() { return base; }

        /** What Tomcat wrote on stdout and stderr so far (catalina.sh run: the console handler). */
        public String consoleOutput() throws IOException {
            return Files.readString(console);
        }

        /** Waits until the port answers and the WAR is deployed ({@code /hello} answers 200). */
        public Instance awaitReady(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
                HttpRequest hello = HttpRequest.newBuilder(uri("/hello")).timeout(Duration.ofSeconds(5)).build();
                while (true) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + ": Tomcat exited with " + process.exitValue() + ":\n" + consoleOutput());
                    }
                    try {
                        if (client.send(hello, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return this;
                    } catch (IOException notYet) {
                        // connection refused until the connector is bound
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(name + ": not ready after " + timeout + ":\n" + consoleOutput());
                    }
                    Thread.sleep(100);
                }
            }
        }

        /** Stops Tomcat (SIGTERM: its shutdown hook stops the server) and waits; kills the process tree on timeout. */
        @Override
        public void close() throws InterruptedException {
            try {
                List<ProcessHandle> tree = process.descendants().toList();
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill(process);
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                tree.forEach(ProcessHandle::destroyForcibly);
            } finally {
                LIVE.remove(process);
            }
        }
    }
}
