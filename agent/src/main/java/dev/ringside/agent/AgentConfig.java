package dev.ringside.agent;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings, each looked up in order: the agent argument string
 * ({@code -javaagent:ringside-agent.jar=enabled=false,threads=2}), then a {@code ringside.*}
 * system property, then a {@code RINGSIDE_*} environment variable; the first one found wins.
 * What an operator types on the command line beats what a container image sets in the
 * environment.
 */
public final class AgentConfig {
    private final Map<String, String> arguments;
    private final Properties system;
    private final Map<String, String> environment;

    private AgentConfig(Map<String, String> arguments, Properties system, Map<String, String> environment) {
        this.arguments = arguments;
        this.system = system;
        this.environment = environment;
    }

    public static AgentConfig resolve(String agentArgs, Properties system, Map<String, String> environment) {
        return new AgentConfig(parseArguments(agentArgs), system, environment);
    }

    public static AgentConfig fromJvm(String agentArgs) {
        return resolve(agentArgs, System.getProperties(), System.getenv());
    }

    /** {@code key=value} pairs separated by commas; a bare key means {@code key=true}. */
    static Map<String, String> parseArguments(String agentArgs) {
        Map<String, String> out = new HashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        for (String pair : agentArgs.split(",")) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim();
            String value = eq < 0 ? "true" : p.substring(eq + 1).trim();
            out.put(key.startsWith("ringside.") ? key.substring("ringside.".length()) : key, value);
        }
        return out;
    }

    /** The raw value of {@code key} (e.g. "enabled"), or null if no source sets it. */
    public String get(String key) {
        String v = arguments.get(key);
        if (v == null) {
            v = system.getProperty("ringside." + key);
        }
        if (v == null) {
            v = environment.get("RINGSIDE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return v;
    }

    /** Where {@code key} was found, for the start line: "agent argument", "system property", ... */
    public String sourceOf(String key) {
        if (arguments.containsKey(key)) return "agent argument " + key;
        if (system.getProperty("ringside." + key) != null) return "-Dringside." + key;
        if (get(key) != null) return "RINGSIDE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return "default";
    }

    public boolean enabled() {
        String v = get("enabled");
        return v == null || !v.trim().equalsIgnoreCase("false");
    }

    /** Event loops; default: available processors. */
    public int threads() {
        String v = get("threads");
        return v == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(v.trim());
    }

    /**
     * Where the adapters run a request the container answers: {@code virtual} (default), a virtual
     * thread each; {@code container}, the connector's thread pool (Tomcat's executor, Jetty's
     * server pool; or the virtual threads it is configured with).
     */
    public String dispatch() {
        String v = get("dispatch");
        if (v == null) {
            return "virtual";
        }
        String d = v.trim().toLowerCase(Locale.ROOT);
        if (!d.equals("virtual") && !d.equals("container")) {
            throw new IllegalArgumentException("dispatch must be virtual or container, not '" + v + "'");
        }
        return d;
    }

    /**
     * Whether the loops send an application's plain files themselves (default) or every request
     * goes to the container ({@code false}): for those who need every request in the container's
     * access log or request statistics, which do not see what the static path answers.
     */
    public boolean staticPath() {
        String v = get("staticPath");
        if (v == null) {
            return true;
        }
        String b = v.trim().toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) {
            throw new IllegalArgumentException("staticPath must be true or false, not '" + v + "'");
        }
        return b.equals("true");
    }

    /** Threads for opening and reading files not yet cached, shared by the loops; default 4, at least 1. */
    public int fileThreads() {
        String v = get("fileThreads");
        int n = v == null ? 4 : Integer.parseInt(v.trim());
        if (n < 1) {
            throw new IllegalArgumentException("fileThreads must be at least 1, not '" + v + "'");
        }
        return n;
    }

    /** Ringside's own request-body limit in bytes, or null for none (the container's settings apply). */
    public Long maxBodyBytes() {
        String v = get("maxBodyBytes");
        return v == null ? null : Long.valueOf(v.trim());
    }
}
