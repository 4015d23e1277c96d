package dev.ringside.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a main class in a fresh JVM (JDK 25) with the packaged agent, and returns what it printed. */
final class AgentRun {
    private AgentRun() {}

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("ringside.agent.jar"));
        assertTrue(Files.isRegularFile(jar), "the packaged agent (run with ./mvnw verify): " + jar);
        return jar;
    }

    /** The test classes and the application's own Byte Buddy: nothing of the agent's classes. */
    static String appClasspath() {
        List<String> keep = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("test-classes") || entry.contains("byte-buddy-1.17")) {
                keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }

    static String run(String agentArgs, List<String> jvmArgs, Map<String, String> env, String mainClass)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(appClasspath());
        cmd.add(mainClass);
        Path out = Files.createTempFile("agent-run", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("RINGSIDE_"));
            pb.environment().putAll(env);
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the application ended");
            String output = Files.readString(out);
            assertTrue(p.exitValue() == 0, "exit " + p.exitValue() + ":\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
