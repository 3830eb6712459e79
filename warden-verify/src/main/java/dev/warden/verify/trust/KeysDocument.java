package dev.warden.verify.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code /-/npm/v1/keys} document ({@code {"keys": [{"keyid", "key", "expires", "keytype",
 * "scheme"}]}}, the key a base64 DER SubjectPublicKeyInfo): read from a registry, a TUF target or
 * the pin cache, and written to the cache.
 */
final class KeysDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KeysDocument() {}

    static List<RegistryKey> parse(byte[] bytes, String what) throws TrustException {
        JsonNode doc;
        try {
            doc = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new TrustException(what + " is not JSON");
        }
        if (doc == null || !doc.path("keys").isArray()) {
            throw new TrustException(what + " is not a keys document: expected {\"keys\": [...]}");
        }
        List<RegistryKey> out = new ArrayList<>();
        for (JsonNode k : doc.path("keys")) {
            String keyid = k.path("keyid").asText("");
            if (keyid.isEmpty() || keyid.length() > 200) {
                throw new TrustException(what + " has a key without a keyid");
            }
            Instant expires = null;
            if (k.hasNonNull("expires")) {
                try {
                    expires = Instant.parse(k.path("expires").asText());
                } catch (DateTimeParseException e) {
                    throw new TrustException(
                            what
                                    + ": key "
                                    + keyid
                                    + " expires at '"
                                    + k.path("expires").asText()
                                    + "', expected an RFC 3339 time");
                }
            }
            out.add(
                    new RegistryKey(
                            keyid,
                            publicKey(k.path("key").asText(), what + ": key " + keyid),
                            expires));
        }
        return out;
    }

    /** An EC (or Ed25519) public key from base64 SubjectPublicKeyInfo DER. */
    static PublicKey publicKey(String base64, String what) throws TrustException {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new TrustException(what + " is not base64");
        }
        for (String alg : List.of("EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // the next kind
            }
        }
        throw new TrustException(what + " is not an EC or Ed25519 public key (base64 SPKI DER)");
    }

    static byte[] write(List<RegistryKey> keys) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode a = doc.putArray("keys");
        for (RegistryKey k : keys) {
            ObjectNode n = a.addObject();
            n.put("keyid", k.keyid());
            n.put("key", Base64.getEncoder().encodeToString(k.key().getEncoded()));
            if (k.expires() != null) {
                n.put("expires", k.expires().toString());
            } else {
                n.putNull("expires");
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
