import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build-time helper (run by exec-maven-plugin as a single-file program): writes SIZE bytes of a
 * deterministic pseudo-random sequence to FILE, so the WAR carries a large file without a big
 * binary in git. Byte i is the high byte of a 32-bit LCG (seed 0x52494E47) after i+1 steps;
 * tests recompute it.
 */
public class GenerateBigFile {
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.isRegularFile(file) && Files.size(file) == size) {
            return; // deterministic content: already there
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            int state = 0x52494E47;
            for (long i = 0; i < size; i++) {
                state = state * 1103515245 + 12345;
                out.write(state >>> 24);
            }
        }
    }
}
