package dev.warden.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.PasswordHasher;
import dev.warden.accounts.Principal;
import dev.warden.common.Digests;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** A registry over a real embedded store in a temporary directory, with a clock tests control. */
final class RegistryFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MetadataStore store;
    final Registry registry;
    final Accounts accounts;

    RegistryFixture(Path dir) throws IOException {
        this(dir, Wiring.none());
    }

    RegistryFixture(Path dir, Wiring wiring) throws IOException {
        this(dir, wiring, RegistrySettings.defaults("http://registry.test"));
    }

    RegistryFixture(Path dir, Wiring wiring, RegistrySettings settings) throws IOException {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        registry =
                new Registry(
                        store,
                        EmbeddedStorage.blobs(dir.resolve("blobs")),
                        JSON,
                        settings,
                        clock,
                        wiring);
        accounts =
                new Accounts(
                        store, new PasswordHasher(1024, 1, 1), Accounts.Settings.defaults(), clock);
    }

    Principal user(String name) {
        accounts.createUser(
                name,
                name + "@example.com",
                "s3cret-horse-" + Integer.toHexString(name.hashCode()),
                false);
        return new Principal(name, false, null);
    }

    static byte[] tgz(ObjectNode manifest) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            byte[] pj = JSON.writeValueAsBytes(manifest);
            TarArchiveEntry e = new TarArchiveEntry("package/package.json");
            e.setSize(pj.length);
            tar.putArchiveEntry(e);
            tar.write(pj);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    static ObjectNode body(ObjectNode manifest, byte[] tgz) {
        String name = manifest.path("name").asText();
        String version = manifest.path("version").asText();
        ObjectNode v = manifest.deepCopy();
        v.putObject("dist")
                .put("integrity", Digests.sri512(Digests.digest("SHA-512", tgz)))
                .put("shasum", Digests.hex(Digests.digest("SHA-1", tgz)));
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.putObject("dist-tags").put("latest", version);
        body.putObject("versions").set(version, v);
        body.putObject("_attachments")
                .putObject(name + "-" + version + ".tgz")
                .put("data", Base64.getEncoder().encodeToString(tgz))
                .put("length", tgz.length);
        return body;
    }

    static ObjectNode manifest(String name, String version) {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", name);
        m.put("version", version);
        return m;
    }

    Registry.Published publish(String name, String version, Principal who) throws IOException {
        ObjectNode m = manifest(name, version);
        return registry.publish(name, body(m, tgz(m)), who);
    }

    Registry.Published publish(ObjectNode manifest, Principal who) throws IOException {
        return registry.publish(manifest.path("name").asText(), body(manifest, tgz(manifest)), who);
    }

    ObjectNode document(String name) throws IOException {
        return (ObjectNode) JSON.readTree(registry.packument(name, null).orElseThrow().full());
    }

    @Override
    public void close() {
        store.close();
    }
}
