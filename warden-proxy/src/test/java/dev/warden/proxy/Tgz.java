package dev.warden.proxy;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** npm tarballs for tests: files under {@code package/}, gzip'd tar. */
final class Tgz {

    private final Map<String, String> files = new LinkedHashMap<>();

    static Tgz of(String name, String version) {
        return of(name, version, "");
    }

    /** A package whose package.json has {@code scripts} (a JSON object's members, or ""). */
    static Tgz of(String name, String version, String scripts) {
        Tgz t = new Tgz();
        t.files.put(
                "package.json",
                "{\"name\":\""
                        + name
                        + "\",\"version\":\""
                        + version
                        + "\",\"main\":\"index.js\""
                        + (scripts.isEmpty() ? "" : ",\"scripts\":{" + scripts + "}")
                        + "}\n");
        t.files.put("index.js", "module.exports = '" + version + "';\n");
        return t;
    }

    Tgz file(String path, String content) {
        files.put(path, content);
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry("package/" + f.getKey());
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
