package dev.warden.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds package tarballs and npm publish bodies, honest or crafted. */
public final class Tarballs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tarballs() {}

    /** One tar entry: a regular file unless {@code type} says otherwise. */
    public record Entry(String path, byte[] data, byte type, String linkTarget) {
        public static Entry file(String path, String text) {
            return new Entry(
                    path, text.getBytes(StandardCharsets.UTF_8), TarConstants.LF_NORMAL, null);
        }

        public static Entry file(String path, byte[] data) {
            return new Entry(path, data, TarConstants.LF_NORMAL, null);
        }

        public static Entry symlink(String path, String target) {
            return new Entry(path, new byte[0], TarConstants.LF_SYMLINK, target);
        }

        public static Entry hardlink(String path, String target) {
            return new Entry(path, new byte[0], TarConstants.LF_LINK, target);
        }

        public static Entry device(String path) {
            return new Entry(path, new byte[0], TarConstants.LF_CHR, null);
        }
    }

    public static byte[] tgz(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = new TarArchiveEntry(e.path(), e.type(), true);
                if (e.linkTarget() != null) {
                    t.setLinkName(e.linkTarget());
                }
                t.setSize(e.type() == TarConstants.LF_NORMAL ? e.data().length : 0);
                t.setMode(0644);
                tar.putArchiveEntry(t);
                if (e.type() == TarConstants.LF_NORMAL) {
                    tar.write(e.data());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /**
     * A tarball holding {@code package/package.json} (from {@code manifest}) and {@code
     * package/index.js}, plus extras.
     */
    public static byte[] packageTgz(ObjectNode manifest, Entry... extra) {
        List<Entry> entries = new ArrayList<>();
        try {
            entries.add(Entry.file("package/package.json", JSON.writeValueAsBytes(manifest)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.add(
                Entry.file(
                        "package/index.js",
                        "module.exports = "
                                + JSON.valueToTree(manifest.path("name").asText())
                                + ";\n"));
        entries.addAll(List.of(extra));
        return tgz(entries);
    }

    public static ObjectNode manifest(String name, String version) {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", name);
        m.put("version", version);
        m.put("description", "test package " + name);
        m.put("main", "index.js");
        return m;
    }

    /**
     * The body npm publish sends: the manifest with dist and the tarball as a base64 attachment.
     */
    public static ObjectNode publishBody(ObjectNode manifest, byte[] tarball) {
        String name = manifest.path("name").asText();
        String version = manifest.path("version").asText();
        ObjectNode v = manifest.deepCopy();
        v.put("_id", name + "@" + version);
        ObjectNode dist = v.putObject("dist");
        dist.put("integrity", Digests.sri512(Digests.digest("SHA-512", tarball)));
        dist.put("shasum", Digests.hex(Digests.digest("SHA-1", tarball)));
        dist.put("tarball", "http://example.invalid/" + name + "/-/x.tgz");
        ObjectNode body = JSON.createObjectNode();
        body.put("_id", name);
        body.put("name", name);
        body.putObject("dist-tags").put("latest", version);
        body.putObject("versions").set(version, v);
        body.putNull("access");
        ObjectNode att = body.putObject("_attachments").putObject(name + "-" + version + ".tgz");
        att.put("content_type", "application/octet-stream");
        att.put("data", Base64.getEncoder().encodeToString(tarball));
        att.put("length", tarball.length);
        return body;
    }

    public static ObjectNode publishBody(String name, String version) {
        ObjectNode m = manifest(name, version);
        return publishBody(m, packageTgz(m));
    }

    /** Path of a package in the URL as npm writes it. */
    public static String path(String name) {
        return "/" + name.replace("/", "%2f");
    }

    public static Map<String, String> abbreviatedAccept() {
        return Map.of(
                "Accept",
                "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*");
    }
}
