package dev.ringside.samples.boot;

import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The JSON API under {@code /api}. */
@RestController
@RequestMapping("/api")
public class ApiController {

    public record Greeting(String greeting) {
    }

    public record Upload(String name, String filename, long size) {
    }

    public record Item(long id, String name) {
    }

    /** {@code GET /api/greeting?name=N} → {@code {"greeting":"hello, N"}} (N defaults to "world"). */
    @GetMapping("/greeting")
    public Greeting greeting(@RequestParam(defaultValue = "world") String name) {
        return new Greeting("hello, " + name);
    }

    /** {@code POST /api/upload} (multipart, part "file") → {@code {"name":"file","filename":...,"size":N}}. */
    @PostMapping("/upload")
    public Upload upload(@RequestPart("file") MultipartFile file) {
        return new Upload(file.getName(), file.getOriginalFilename(), file.getSize());
    }

    /** {@code GET /api/items/{id}} → {@code {"id":id,"name":"item-id"}}; 404 with a JSON body for a negative id. */
    @GetMapping("/items/{id}")
    public ResponseEntity<?> item(@PathVariable long id) {
        if (id < 0) {
            return ResponseEntity.status(404).body(Map.of("error", "no item " + id));
        }
        return ResponseEntity.ok(new Item(id, "item-" + id));
    }
}
