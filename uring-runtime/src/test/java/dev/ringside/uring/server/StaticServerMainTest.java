package dev.ringside.uring.server;

import dev.ringside.uring.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The command line as a user runs it: a separate JVM, its one start line, its options, SIGTERM. */
class StaticServerMainTest {
    private static Process launch(String... args) throws Exception {
        return launch(null, args);
    }

    /** With {@code log} set, output goes to that file (a pipe's tail can be lost when the process exits). */
    private static Process launch(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StaticServerMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        return pb.start();
    }

    @Test
    void servesADirectoryHonoursItsOptionsAndStopsOnSigterm(@TempDir Path root, @TempDir Path logs) throws Exception {
        Files.writeString(root.resolve("index.html"), "<p>hi</p>");
        Path log = logs.resolve("server.log");
        Process p = launch(log, "--root", root.toString(), "--host", "127.0.0.1", "--port", "0", "--threads", "2",
                "--max-headers", "3", "--file-threads", "1");
        try {
            // The JVM may print "Picked up JAVA_TOOL_OPTIONS: ..." first: the server's line is ours.
            // Up to 30 s: a JVM starts in well under one, but a loaded machine (or libfaketime) is slow.
            for (int i = 0; i < 600 && !Files.readString(log).contains("ringside: serving"); i++) {
                Thread.sleep(50);
            }
            String startLine = Files.readString(log).lines().filter(l -> l.startsWith("ringside:")).findFirst().orElse(null);
            assertNotNull(startLine);
            Matcher m = Pattern.compile("ringside: serving .* on http://127\\.0\\.0\\.1:(\\d+) with 2 loop\\(s\\); kernel .*")
                    .matcher(startLine);
            assertTrue(m.matches(), startLine);
            int port = Integer.parseInt(m.group(1));
            try (RawHttp http = new RawHttp(port)) {
                RawHttp.Response r = http.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, r.status());
                assertEquals("<p>hi</p>", r.text());
            }
            try (RawHttp http = new RawHttp(port)) {
                assertEquals(431, http.send("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").read().status(),
                        "--max-headers 3 is in force");
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped");
            String output = Files.readString(log);
            assertTrue(output.contains("ringside: stopping; accepted=2"), output);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void helpAndBadUsage() throws Exception {
        Process help = launch("--help");
        assertTrue(help.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue());
        assertTrue(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("--root DIR"));

        Process bad = launch("--root", "/", "--bogus");
        assertTrue(bad.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        assertTrue(new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("unknown option --bogus"));

        Process missing = launch("--port", "8080");
        assertTrue(missing.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, missing.exitValue());

        Process noFileThread = launch("--root", "/", "--file-threads", "0");
        assertTrue(noFileThread.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, noFileThread.exitValue());
        assertTrue(new String(noFileThread.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .contains("fileThreads must be at least 1"));

        Process notANumber = launch("--root", "/", "--port", "eighty");
        assertTrue(notANumber.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, notANumber.exitValue());
    }
}
