package dev.ringside.it.containers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One servlet container distribution running the sample WAR at {@link #CONTEXT} on 127.0.0.1, what
 * {@link TomcatDistribution} and {@link JettyDistribution} launch: readiness, console output and stop are
 * the same for both. Every process started is stopped by {@link #close()}, and by a JVM shutdown hook
 * if a test forgot.
 */
public final class ContainerProcess implements AutoCloseable {
    public static final String CONTEXT = "/servlet-app";
    /** The sample WAR's BASIC-auth user, in realm {@code sample} with role {@code sample}. */
    public static final String USER = "sample-user";
    public static final String PASSWORD = "sample-password";

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ContainerProcess::kill), "container-reaper"));
    }

    private final String name;
    private final Path base;
    private final int port;
    private final Path console;
    private final Process process;

    private ContainerProcess(String name, Path base, int port, Path console, Process process) {
        this.name = name;
        this.base = base;
        this.port = port;
        this.console = console;
        this.process = process;
    }

    /** Starts {@code pb} with stdout and stderr into {@code console}; {@code name} says which container in messages. */
    static ContainerProcess start(String name, Path base, int port, Path console, ProcessBuilder pb) throws IOException {
        pb.directory(base.toFile()).redirectErrorStream(true).redirectOutput(console.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RINGSIDE_"));
        Process process = pb.start();
        LIVE.add(process);
        return new ContainerProcess(name, base, port, console, process);
    }

    /**
     * How many io_uring instances the server process holds ({@code anon_inode:[io_uring]} in
     * /proc/PID/fd): the kernel's own word that Ringside's loops run in it. The JVM is the
     * launched process or its only child ({@code sh catalina.sh run} execs java).
     */
    public long ioUringDescriptors() throws IOException {
        long pid = jvmPid();
        long n = 0;
        for (long p : new long[] {process.pid(), pid}) {
            try (var fds = Files.list(Path.of("/proc", Long.toString(p), "fd"))) {
                n = Math.max(n, fds.filter(f -> {
                    try {
                        return Files.readSymbolicLink(f).toString().equals("anon_inode:[io_uring]");
                    } catch (IOException gone) {
                        return false;
                    }
                }).count());
            }
        }
        return n;
    }

    /**
     * Ringside's JMX counters in the server's JVM ({@code dev.ringside:type=HttpServer,*}, summed
     * over the servers it runs), read by attaching to it and starting its local management agent,
     * as jconsole does. Empty when the JVM runs no Ringside server.
     */
    public java.util.Map<String, Long> ringsideCounters(String... attributes) throws Exception {
        try (javax.management.remote.JMXConnector c = connectJmx()) {
            return ringsideCounters(c.getMBeanServerConnection(), attributes);
        }
    }

    /** {@link #ringsideCounters(String...)} over a connection already open. */
    public static java.util.Map<String, Long> ringsideCounters(javax.management.MBeanServerConnection mbs,
                                                             String... attributes) throws Exception {
        java.util.Map<String, Long> sums = new java.util.LinkedHashMap<>();
        for (javax.management.ObjectName n : mbs.queryNames(
                new javax.management.ObjectName("dev.ringside:type=HttpServer,*"), null)) {
            for (String a : attributes) {
                sums.merge(a, ((Number) mbs.getAttribute(n, a)).longValue(), Long::sum);
            }
        }
        return sums;
    }

    /**
     * A JMX connection to the server's JVM, by attaching to it and starting its local management agent,
     * as jconsole does; the caller closes it.
     */
    public javax.management.remote.JMXConnector connectJmx() throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(jvmPid()));
        try {
            return javax.management.remote.JMXConnectorFactory.connect(
                    new javax.management.remote.JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    /**
     * The JVM option that starts a JFR recording keeping every {@code dev.ringside.Request} event
     * (threshold 0), for {@link #recordedEvents} to read.
     */
    public static final String RECORD_REQUESTS = "-XX:StartFlightRecording:+dev.ringside.Request#threshold=0ms";

    /** What the server's JFR recording (see {@link #RECORD_REQUESTS}) holds so far, dumped with jcmd. */
    public List<jdk.jfr.consumer.RecordedEvent> recordedEvents() throws Exception {
        Path dump = Files.createTempFile(base, "recording", ".jfr");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(jvmPid()), "JFR.dump", "filename=" + dump)
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || Files.size(dump) == 0) {
            throw new IOException("jcmd JFR.dump failed: " + said);
        }
        return jdk.jfr.consumer.RecordingFile.readAllEvents(dump);
    }

    /** The server's JVM: the launched process or its only child ({@code sh catalina.sh run} execs java). */
    public long jvmPid() {
        return process.descendants().map(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    /** A fresh, empty base directory under {@code target/<kind>-bases}. */
    static Path newBase(String kind, String name) throws IOException {
        return Files.createDirectories(Path.of("target", kind + "-bases", name + "-" + System.nanoTime()).toAbsolutePath());
    }

    /** The sample WAR (built by samples/servlet-app). */
    public static Path war() {
        Path war = Path.of(System.getProperty("ringside.servlet-app.war", "../samples/servlet-app/target/servlet-app.war"));
        if (!Files.isRegularFile(war)) throw new IllegalStateException("no sample WAR at " + war + " (run with ./mvnw verify)");
        return war;
    }

    /** The JDK the tests run on (JDK 25, by the toolchain). */
    static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** A loopback port nothing listens on now (for a second connector of a container). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + CONTEXT + pathAndQuery);
    }

    public int port() { return port; }

    public Path base() { return base; }

    /** What the container wrote on stdout and stderr so far. */
    public String consoleOutput() throws IOException {
        return Files.readString(console);
    }

    /** Waits until the port answers and the WAR is deployed ({@code /hello} answers 200). */
    public ContainerProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest hello = HttpRequest.newBuilder(uri("/hello")).timeout(Duration.ofSeconds(5)).build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + ": exited with " + process.exitValue() + ":\n" + consoleOutput());
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

    /** Stops the container (SIGTERM: its shutdown hook stops the server) and waits; kills the process tree on timeout. */
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
