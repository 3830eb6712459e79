package dev.warden.verify.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * One signed TUF metadata file ({@code {"signatures": [...], "signed": {...}}}): its role, version
 * and expiry, and the check that a threshold of a role's keys signed its canonical form. The
 * canonical form is Warden's {@code TufRepository}'s: Jackson with map keys sorted and no
 * whitespace (OLPC canonical JSON for the ASCII strings TUF metadata holds).
 */
final class TufMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final HexFormat HEX = HexFormat.of();

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo, before the 32 key bytes. */
    private static final byte[] ED25519_SPKI = HEX.parseHex("302a300506032b6570032100");

    final String what;
    final byte[] raw;
    final JsonNode signed;
    final String type;
    final long version;
    final Instant expires;
    private final JsonNode signatures;

    private TufMetadata(String what, byte[] raw, JsonNode env) throws TrustException {
        this.what = what;
        this.raw = raw;
        this.signed = env.path("signed");
        this.signatures = env.path("signatures");
        this.type = signed.path("_type").asText("");
        if (!signed.isObject() || !signatures.isArray()) {
            throw new TrustException(what + " is not TUF metadata: expected signed and signatures");
        }
        if (!signed.path("version").canConvertToLong() || signed.path("version").asLong() < 1) {
            throw new TrustException(
                    what
                            + " has no version: expected a positive integer, found "
                            + signed.path("version"));
        }
        this.version = signed.path("version").asLong();
        try {
            this.expires = Instant.parse(signed.path("expires").asText());
        } catch (DateTimeParseException e) {
            throw new TrustException(
                    what
                            + " has no expiry: expected an RFC 3339 time, found "
                            + signed.path("expires"));
        }
    }

    /** Parses {@code raw} as metadata of role {@code type}. */
    static TufMetadata parse(byte[] raw, String type, String what) throws TrustException {
        JsonNode env;
        try {
            env = JSON.readTree(raw);
        } catch (IOException e) {
            throw new TrustException(what + " is not JSON");
        }
        if (env == null || !env.isObject()) {
            throw new TrustException(what + " is not TUF metadata: expected a JSON object");
        }
        TufMetadata m = new TufMetadata(what, raw, env);
        if (!m.type.equals(type)) {
            throw new TrustException(
                    what + " is of type '" + m.type + "', expected '" + type + "'");
        }
        return m;
    }

    /**
     * Throws unless at least the threshold of {@code role}'s keys in {@code root} signed this
     * metadata; each key counts once.
     */
    void requireSignedBy(TufMetadata root, String role) throws TrustException {
        JsonNode r = root.signed.path("roles").path(role);
        int threshold = r.path("threshold").asInt(0);
        if (threshold < 1 || !r.path("keyids").isArray()) {
            throw new TrustException(
                    root.what + " gives role " + role + " no keys or no positive threshold");
        }
        Set<String> allowed = new HashSet<>();
        r.path("keyids").forEach(k -> allowed.add(k.asText()));
        byte[] message = canonical(signed);
        Set<String> valid = new HashSet<>();
        for (JsonNode s : signatures) {
            String keyid = s.path("keyid").asText();
            if (allowed.contains(keyid) && !valid.contains(keyid)) {
                JsonNode key = root.signed.path("keys").path(keyid);
                if (verifies(key, message, s.path("sig").asText())) {
                    valid.add(keyid);
                }
            }
        }
        if (valid.size() < threshold) {
            throw new TrustException(
                    what
                            + " is signed by "
                            + valid.size()
                            + " of the "
                            + role
                            + " keys of root version "
                            + root.version
                            + ", expected at least "
                            + threshold);
        }
    }

    /** The key ids and threshold of a role, to notice when a root rotates them. */
    String roleKeys(String role) {
        return signed.path("roles").path(role).toString();
    }

    static byte[] canonical(JsonNode node) {
        try {
            return CANONICAL.writeValueAsBytes(JSON.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean verifies(JsonNode key, byte[] message, String sigHex) {
        try {
            byte[] sig = HEX.parseHex(sigHex);
            String type = key.path("keytype").asText();
            String pub = key.path("keyval").path("public").asText();
            PublicKey pk;
            String alg;
            if (type.equals("ed25519") && key.path("scheme").asText().equals("ed25519")) {
                byte[] raw = HEX.parseHex(pub);
                byte[] spki = new byte[ED25519_SPKI.length + raw.length];
                System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
                System.arraycopy(raw, 0, spki, ED25519_SPKI.length, raw.length);
                pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                alg = "Ed25519";
            } else if ((type.equals("ecdsa") || type.equals("ecdsa-sha2-nistp256"))
                    && key.path("scheme").asText().equals("ecdsa-sha2-nistp256")) {
                byte[] spki =
                        pub.contains("BEGIN PUBLIC KEY")
                                ? Base64.getMimeDecoder()
                                        .decode(pub.replaceAll("-----[A-Z ]+-----", ""))
                                : HEX.parseHex(pub);
                pk = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
                alg = "SHA256withECDSA";
            } else {
                return false;
            }
            Signature v = Signature.getInstance(alg);
            v.initVerify(pk);
            v.update(message);
            return v.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
