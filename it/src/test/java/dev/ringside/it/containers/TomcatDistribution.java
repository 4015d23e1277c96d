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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real Tomcat distribution (unpacked by maven-dependency-plugin into {@code it/target/tomcat}),
 * run as a user runs it: a fresh {@code CATALINA_BASE} per instance and {@code bin/catalina.sh run}
 * with {@code CATALINA_OPTS}. Loopback only; stopped by {@link ContainerProcess#close()}.
 */
public final class TomcatDistribution {
    private TomcatDistribution() {}

    public static Path home() {
        Path home = Path.of(System.getProperty("ringside.tomcat.home", "target/tomcat/apache-tomcat-11.0.24"));
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException("no Tomcat distribution at " + home + " (run with ./mvnw verify)");
        }
        return home;
    }

    /** Lays out a fresh CATALINA_BASE and starts Tomcat in it; {@link ContainerProcess#awaitReady} waits for the WAR. */
    public static ContainerProcess launch(String name, String catalinaOpts) throws Exception {
        return launch(name, catalinaOpts, java.util.Map.of());
    }

    /** {@link #launch(String, String)} with more attributes on the HTTP connector ({@code connectionTimeout}, ...). */
    public static ContainerProcess launch(String name, String catalinaOpts, java.util.Map<String, String> connector)
            throws Exception {
        Path home = home();
        Path base = ContainerProcess.newBase("tomcat", name);
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) Files.createDirectories(base.resolve(dir));
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path f : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(f, base.resolve("conf").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        int port = ContainerProcess.freePort();
        rewriteServerXml(base.resolve("conf/server.xml"), port, connector);
        Files.writeString(base.resolve("conf/tomcat-users.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                  <role rolename="sample"/>
                  <user username="%s" password="%s" roles="sample"/>
                </tomcat-users>
                """.formatted(ContainerProcess.USER, ContainerProcess.PASSWORD));
        Files.copy(ContainerProcess.war(), base.resolve("webapps").resolve(ContainerProcess.CONTEXT.substring(1) + ".war"));

        Path console = base.resolve("logs/console.log");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", home.resolve("bin/catalina.sh").toString(), "run");
        var env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CATALINA_") || k.startsWith("JRE_")
                || k.equals("JAVA_OPTS") || k.equals("JPDA_OPTS"));
        env.put("JAVA_HOME", ContainerProcess.javaHome().toString()); // the JDK 25 the tests run on (toolchain)
        env.put("CATALINA_HOME", home.toAbsolutePath().toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_OPTS", catalinaOpts);
        return ContainerProcess.start("Tomcat " + name, base, port, console, pb);
    }

    /**
     * The distribution's server.xml, with: no shutdown port, one HTTP connector on 127.0.0.1:port (with
     * {@code attributes} too), no AJP, no access log.
     */
    private static void rewriteServerXml(Path serverXml, int port, java.util.Map<String, String> attributes)
            throws Exception {
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
                attributes.forEach(connector::setAttribute);
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
}
