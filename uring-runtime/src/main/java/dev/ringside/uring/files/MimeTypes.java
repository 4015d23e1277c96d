package dev.ringside.uring.files;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * File extension to Content-Type. The defaults are the common entries of Tomcat's
 * {@code conf/web.xml}; a caller can add or replace mappings (the app's own, later).
 */
public final class MimeTypes {
    public static final String DEFAULT_TYPE = "application/octet-stream";

    private final Map<String, String> byExtension = new HashMap<>();

    public static MimeTypes defaults() {
        MimeTypes m = new MimeTypes();
        String[][] table = {
                {"html", "text/html"}, {"htm", "text/html"}, {"css", "text/css"},
                {"js", "text/javascript"}, {"mjs", "text/javascript"}, {"json", "application/json"},
                {"txt", "text/plain"}, {"xml", "application/xml"}, {"csv", "text/csv"},
                {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"},
                {"svg", "image/svg+xml"}, {"ico", "image/x-icon"}, {"webp", "image/webp"}, {"avif", "image/avif"},
                {"woff", "font/woff"}, {"woff2", "font/woff2"}, {"ttf", "font/ttf"}, {"otf", "font/otf"},
                {"pdf", "application/pdf"}, {"zip", "application/zip"}, {"gz", "application/x-gzip"},
                {"tar", "application/x-tar"}, {"wasm", "application/wasm"}, {"mp4", "video/mp4"},
                {"webm", "video/webm"}, {"mp3", "audio/mpeg"}, {"ogg", "audio/ogg"}, {"wav", "audio/wav"},
                {"md", "text/markdown"}, {"map", "application/json"}, {"bin", "application/octet-stream"},
        };
        for (String[] e : table) {
            m.add(e[0], e[1]);
        }
        return m;
    }

    public MimeTypes add(String extension, String type) {
        byExtension.put(extension.toLowerCase(Locale.ROOT), type);
        return this;
    }

    public String forName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        int slash = fileName.lastIndexOf('/');
        if (dot < 0 || dot < slash) {
            return DEFAULT_TYPE;
        }
        return byExtension.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_TYPE);
    }
}
