package dev.warden.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.SigningKeyStore;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proof of origin, read side: {@code GET /-/npm/v1/keys} (the registry's signing keys in npm's
 * format, for clients that check {@code dist.signatures}) and {@code GET
 * /-/npm/v1/attestations/<name>@<version>} (a version's SLSA provenance and the registry's publish
 * attestation, where {@code dist.attestations.url} points).
 */
final class ProvenanceApi {

    private final SigningKeyStore keys;
    private final dev.warden.registry.Registry registry;
    private final ObjectMapper json;

    ProvenanceApi(SigningKeyStore keys, dev.warden.registry.Registry registry, ObjectMapper json) {
        this.keys = keys;
        this.registry = registry;
        this.json = json;
    }

    /** The upstream proxy, for upstream names and keys (none: no proxy). */
    private ProxyReads proxy;

    ProvenanceApi withProxy(ProxyReads proxy) {
        this.proxy = proxy;
        return this;
    }

    void routes(Router router) {
        router.route("GET", "/-/npm/v1/keys", ex -> keys())
                .route("GET", "/-/npm/v1/attestations/{spec...}", this::attestations);
    }

    private Reply attestations(dev.warden.server.http.Exchange ex) throws IOException {
        String spec = ex.param("spec");
        int at = spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw dev.warden.common.Problem.badRequest(
                    "expected <name>@<version>, not "
                            + (spec.length() > 200 ? spec.substring(0, 200) + "..." : spec));
        }
        String name = spec.substring(0, at);
        String version = spec.substring(at + 1);
        var doc = registry.attestations(name, version, ex.principal().orElse(null));
        byte[] body;
        if (doc.isPresent()) {
            body = json.writeValueAsBytes(doc.get());
        } else {
            // an upstream version's attestations, as its uplink sent them
            body =
                    (proxy == null
                                    ? java.util.Optional.<byte[]>empty()
                                    : proxy.attestations(name, version))
                            .orElseThrow(
                                    () ->
                                            dev.warden.common.Problem.notFound(
                                                    "no attestations for " + name + "@" + version));
        }
        return Reply.json(200, body).header("Cache-Control", "public, max-age=300");
    }

    private Reply keys() {
        byte[] own = keysDocument(keys, json);
        if (proxy == null) {
            return Reply.json(200, own).header("Cache-Control", "public, max-age=300");
        }
        return Reply.json(200, withUpstreamKeys(own, proxy.upstreamKeys(), json))
                .header("Cache-Control", "public, max-age=300");
    }

    /**
     * This registry's keys followed by the uplinks' (a key id already listed is not repeated), so a
     * client behind the proxy checks what each upstream signed.
     */
    static byte[] withUpstreamKeys(
            byte[] own, List<Map<String, Object>> upstream, ObjectMapper json) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode doc =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(own);
            com.fasterxml.jackson.databind.node.ArrayNode list =
                    (com.fasterxml.jackson.databind.node.ArrayNode) doc.get("keys");
            java.util.Set<String> ids = new java.util.HashSet<>();
            list.forEach(k -> ids.add(k.path("keyid").asText()));
            for (Map<String, Object> k : upstream) {
                if (ids.add(String.valueOf(k.get("keyid")))) {
                    list.add(json.valueToTree(k));
                }
            }
            return json.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code /-/npm/v1/keys} document, also published as the TUF target {@code
     * registry_keys.json}.
     */
    static byte[] keysDocument(SigningKeyStore keys, ObjectMapper json) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SigningKeyStore.PublicKey k : keys.publicKeys()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("expires", k.expires() == null ? null : k.expires().toString());
            m.put("keyid", k.keyid());
            m.put("keytype", "ecdsa-sha2-nistp256");
            m.put("scheme", "ecdsa-sha2-nistp256");
            m.put("key", k.key());
            out.add(m);
        }
        try {
            return json.writeValueAsBytes(Map.of("keys", out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
