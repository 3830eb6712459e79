package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.embedded.EmbeddedStorage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A proxy over the embedded storage and a {@link FakeUpstream}, with a clock tests move. */
final class Harness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final String PUBLIC_URL = "https://warden.invalid/";
    static final Uplink UPLINK =
            new Uplink(
                    "public",
                    URI.create("https://upstream.invalid/"),
                    List.of("**"),
                    Optional.empty(),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(120));

    final MetadataStore store;
    final FakeUpstream upstream = new FakeUpstream();
    final MutableClock clock = new MutableClock(T0);
    final Proxy proxy;

    Harness(Path dir, ProxySettings settings) {
        this.store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        this.proxy =
                Proxy.create(
                        new Proxy.Parts(
                                settings,
                                store,
                                null,
                                upstream,
                                IngestLog.NONE,
                                s -> null,
                                null,
                                dir.resolve("trust"),
                                PUBLIC_URL,
                                256L << 20,
                                clock));
    }

    Harness(Path dir) {
        this(dir, settings(Duration.ZERO, List.of(), List.of()));
    }

    static ProxySettings settings(
            Duration minimumAge, List<String> ageExclude, List<String> internalScopes) {
        return new ProxySettings(
                List.of(UPLINK),
                minimumAge,
                ageExclude,
                internalScopes,
                ProxySettings.UnsignedUpstream.ALLOW,
                false,
                List.of(),
                null);
    }

    static URI uri(String name) {
        return URI.create(UPLINK.url() + name.replace("/", "%2f"));
    }

    /** Serves {@code doc} as {@code name}'s packument with {@code etag}. */
    void publish(String name, ObjectNode doc, String etag) {
        upstream.put(uri(name), doc.toString(), etag);
    }

    void localPackage(String name) {
        store.write(
                tx -> {
                    tx.packages().insert(new PackageRecord(name, T0, T0, 1, "public", null));
                    return null;
                });
    }

    /** A packument as an upstream registry serves it; versions added with {@link #version}. */
    static ObjectNode packument(String name) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("_id", name);
        doc.put("_rev", "3-abc");
        doc.put("name", name);
        doc.putObject("dist-tags");
        doc.putObject("versions");
        doc.putObject("time").put("created", T0.minus(Duration.ofDays(400)).toString());
        return doc;
    }

    /** Adds {@code version}, published {@code age} before T0, and moves {@code latest} to it. */
    static ObjectNode version(ObjectNode doc, String version, Duration age) {
        String name = doc.get("name").asText();
        String bare = name.substring(name.indexOf('/') + 1);
        ObjectNode v = ((ObjectNode) doc.get("versions")).putObject(version);
        v.put("name", name);
        v.put("version", version);
        v.putObject("dependencies");
        ObjectNode dist = v.putObject("dist");
        dist.put("integrity", "sha512-" + name + "-" + version);
        dist.put("shasum", "0123456789abcdef");
        dist.put(
                "tarball",
                "https://upstream.invalid/" + name + "/-/" + bare + "-" + version + ".tgz");
        dist.putArray("signatures")
                .addObject()
                .put("keyid", "SHA256:upstream")
                .put("sig", "MEUCIQ" + version);
        ((ObjectNode) doc.get("time")).put(version, T0.minus(age).toString());
        ((ObjectNode) doc.get("time")).put("modified", T0.minus(age).toString());
        ((ObjectNode) doc.get("dist-tags")).put("latest", version);
        return doc;
    }

    static JsonNode full(Proxy.Served s) {
        return parse(s.doc().full());
    }

    static JsonNode abbreviated(Proxy.Served s) {
        return parse(s.doc().abbreviated());
    }

    static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
