package dev.warden.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry that serves what a test puts in it, for the cases a real registry never produces (a
 * changed tarball, a forged signature, garbage): packuments, tarballs and {@code /-/npm/v1/keys},
 * with ETags, signed with a real ECDSA P-256 key. It records every request, and can be cut off to
 * prove a run used only its cache.
 */
final class StandInRegistry implements Remote {

    static final String BASE = "http://registry.test:4873/";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile boolean cutOff;
    final KeyPair key;
    final String keyid;

    StandInRegistry() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        key = g.generateKeyPair();
        keyid =
                "SHA256:"
                        + Base64.getEncoder()
                                .encodeToString(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(key.getPublic().getEncoded()));
        keys(null);
    }

    /** Lists the key, with an expiry or none. */
    void keys(Instant expires) throws Exception {
        ObjectNode doc = JSON.createObjectNode();
        ObjectNode k = doc.putArray("keys").addObject();
        k.put("expires", expires == null ? null : expires.toString());
        k.put("keyid", keyid);
        k.put("keytype", "ecdsa-sha2-nistp256");
        k.put("scheme", "ecdsa-sha2-nistp256");
        k.put("key", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
        files.put("/-/npm/v1/keys", JSON.writeValueAsBytes(doc));
    }

    /** Publishes name@version with a tarball of these bytes; answers its integrity. */
    String publish(String name, String version, byte[] tarball, Instant at) throws Exception {
        String integrity =
                "sha512-"
                        + Base64.getEncoder()
                                .encodeToString(
                                        MessageDigest.getInstance("SHA-512").digest(tarball));
        String file = name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
        String tarballPath = "/" + name + "/-/" + file;
        files.put(tarballPath, tarball);
        ObjectNode doc = packument(name);
        ObjectNode v = ((ObjectNode) doc.path("versions")).putObject(version);
        v.put("name", name).put("version", version);
        ObjectNode dist = v.putObject("dist");
        dist.put("integrity", integrity);
        dist.put("tarball", BASE.replaceAll("/$", "") + tarballPath);
        dist.putArray("signatures")
                .addObject()
                .put("keyid", keyid)
                .put("sig", sign(name + "@" + version + ":" + integrity));
        ((ObjectNode) doc.path("time")).put(version, at.toString());
        store(name, doc);
        return integrity;
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

    String sign(String message) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    static String packumentPath(String name) {
        return "/" + name.replace("/", "%2f");
    }

    static String tarballUrl(String name, String version) {
        return BASE + name + "/-/" + name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
    }

    @Override
    public Response get(URI uri, String ifNoneMatch, long limit) {
        requests.add(uri.toString());
        if (cutOff) {
            throw new AssertionError("the network was used: " + uri);
        }
        byte[] body = files.get(uri.getRawPath());
        if (body == null) {
            return new Response(
                    404,
                    "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8),
                    java.util.Optional.empty());
        }
        String etag = "\"" + java.util.Arrays.hashCode(body) + "\"";
        if (etag.equals(ifNoneMatch)) {
            return new Response(304, new byte[0], java.util.Optional.of(etag));
        }
        return new Response(200, body, java.util.Optional.of(etag));
    }
}
