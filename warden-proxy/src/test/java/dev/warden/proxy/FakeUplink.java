package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An uplink in memory, behind the proxy's {@link Upstream} port: packuments, tarballs, {@code
 * /-/npm/v1/keys} and attestations, signed with a real ECDSA P-256 key as npm's registry signs. It
 * has no TUF repository, so the proxy pins its keys on first use. Its host is under {@code
 * .invalid}: nothing here can reach a real machine.
 */
final class FakeUplink implements Upstream {

    static final String BASE = "http://uplink.invalid:4873/";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Uplink uplink =
            new Uplink(
                    "up",
                    URI.create(BASE),
                    List.of("**"),
                    Optional.empty(),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(2));
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    KeyPair key = ec();
    String keyid = keyid(key);

    /** When set, every request fails as an unreachable uplink does. */
    volatile boolean down;

    /** Paths answered with a status of their own (an uplink's 429 or 503), no body. */
    final Map<String, Integer> statuses = new ConcurrentHashMap<>();

    /** Called before a tarball is answered (a test may block there). */
    volatile Runnable onTarball = () -> {};

    FakeUplink() throws Exception {
        serveKeys();
    }

    /** Serves {@link #key} as the only key under {@link #keyid}. */
    void serveKeys() throws Exception {
        ObjectNode doc = JSON.createObjectNode();
        ObjectNode k = doc.putArray("keys").addObject();
        k.putNull("expires");
        k.put("keyid", keyid);
        k.put("keytype", "ecdsa-sha2-nistp256");
        k.put("scheme", "ecdsa-sha2-nistp256");
        k.put("key", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
        files.put("/-/npm/v1/keys", JSON.writeValueAsBytes(doc));
    }

    /** Adds {@code name@version} with this tarball, signed; answers its version document. */
    ObjectNode publish(String name, String version, byte[] tarball, Instant at) throws Exception {
        String integrity = integrity(tarball);
        String file = name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
        String path = "/" + name + "/-/" + file;
        files.put(path, tarball);
        ObjectNode doc = packument(name);
        ObjectNode v = ((ObjectNode) doc.path("versions")).putObject(version);
        v.put("name", name).put("version", version);
        v.putObject("repository")
                .put("type", "git")
                .put("url", "git+https://github.com/octo-org/octo-pkg.git");
        v.putObject("_npmUser").put("name", "octo");
        ObjectNode dist = v.putObject("dist");
        dist.put("integrity", integrity);
        dist.put("tarball", BASE.replaceAll("/$", "") + path);
        dist.putArray("signatures")
                .addObject()
                .put("keyid", keyid)
                .put("sig", sign(key, name + "@" + version + ":" + integrity));
        ((ObjectNode) doc.path("time")).put(version, at.toString());
        store(name, doc);
        return v;
    }

    /** Serves an attestations document for {@code name@version} and announces it. */
    void attest(String name, String version, JsonNode provenanceBundle) throws Exception {
        ObjectNode att = JSON.createObjectNode();
        att.putArray("attestations")
                .addObject()
                .put("predicateType", "https://slsa.dev/provenance/v1")
                .set("bundle", provenanceBundle);
        String path = "/-/npm/v1/attestations/" + name + "@" + version;
        files.put(path, JSON.writeValueAsBytes(att));
        ObjectNode doc = packument(name);
        ObjectNode dist = (ObjectNode) doc.path("versions").path(version).path("dist");
        ObjectNode a = dist.putObject("attestations");
        a.put("url", BASE.replaceAll("/$", "") + path);
        a.putObject("provenance").put("predicateType", "https://slsa.dev/provenance/v1");
        store(name, doc);
    }

    /** Changes a version's document (then stores the packument). */
    void edit(String name, String version, java.util.function.Consumer<ObjectNode> change)
            throws Exception {
        ObjectNode doc = packument(name);
        change.accept((ObjectNode) doc.path("versions").path(version));
        store(name, doc);
    }

    ObjectNode packument(String name) throws Exception {
        byte[] known = files.get(packumentPath(name));
        if (known != null) {
            return (ObjectNode) JSON.readTree(known);
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("name", name);
        doc.putObject("versions");
        doc.putObject("time");
        return doc;
    }

    void store(String name, ObjectNode doc) throws Exception {
        files.put(packumentPath(name), JSON.writeValueAsBytes(doc));
    }

    static String packumentPath(String name) {
        return "/" + name.replace("/", "%2f");
    }

    long requestsFor(String suffix) {
        return requests.stream().filter(r -> r.endsWith(suffix)).count();
    }

    @Override
    public Response get(Uplink to, URI uri, String accept, String ifNoneMatch, long limit)
            throws java.io.IOException {
        requests.add(uri.toString());
        if (down) {
            throw new java.net.ConnectException("connection refused: " + uri.getHost());
        }
        if (uri.getRawPath().endsWith(".tgz")) {
            onTarball.run();
        }
        Integer status = statuses.get(uri.getRawPath());
        if (status != null) {
            return new Response(status, new byte[0], Optional.empty());
        }
        byte[] body = files.get(uri.getRawPath());
        if (body == null) {
            return new Response(
                    404,
                    "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8),
                    Optional.empty());
        }
        return new Response(200, body, Optional.empty());
    }

    static String integrity(byte[] bytes) throws Exception {
        return "sha512-"
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
    }

    static String sign(KeyPair key, String message) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static String keyid(KeyPair k) throws Exception {
        return "SHA256:"
                + Base64.getEncoder()
                        .encodeToString(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(k.getPublic().getEncoded()));
    }
}
