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

/** {@code GET /-/npm/v1/keys}: the registry's signing keys in npm's format, for clients that check {@code dist.signatures}. */
final class ProvenanceApi {

    private final SigningKeyStore keys;
    private final ObjectMapper json;

    ProvenanceApi(SigningKeyStore keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    void routes(Router router) {
        router.route("GET", "/-/npm/v1/keys", ex -> keys());
    }

    private Reply keys() {
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
            return Reply.json(200, json.writeValueAsBytes(Map.of("keys", out))).header("Cache-Control", "public, max-age=300");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
