package dev.warden.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.sigstore.EcdsaSignatures;
import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.trust.RegistryKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.List;

/**
 * npm's publish attestation: an in-toto statement that the registry published exactly this tarball
 * as {@code name@version}, in a DSSE envelope signed with one of the registry's keys (the bundle
 * names it by key id). Checked here directly: the envelope's signature over its PAE, then the
 * subject. A transparency-log entry the bundle may also carry (npmjs logs these in the public
 * Rekor) is not needed for the binding and is not checked.
 */
public final class PublishAttestation {

    public static final String PREDICATE =
            "https://github.com/npm/attestation/tree/main/specs/publish/v0.1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PublishAttestation() {}

    public static Finding check(
            JsonNode bundle,
            String name,
            String version,
            String sha512Hex,
            List<RegistryKey> keys) {
        JsonNode env = bundle.path("dsseEnvelope");
        String type = env.path("payloadType").asText("");
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(env.path("payload").asText(""));
        } catch (IllegalArgumentException e) {
            return fail("its payload is not base64");
        }
        if (!"application/vnd.in-toto+json".equals(type) || payload.length == 0) {
            return fail("it is not an in-toto statement in a DSSE envelope");
        }
        JsonNode sig = env.path("signatures").path(0);
        String keyid =
                sig.path("keyid")
                        .asText(
                                bundle.path("verificationMaterial")
                                        .path("publicKey")
                                        .path("hint")
                                        .asText(""));
        RegistryKey key =
                keys.stream().filter(k -> k.keyid().equals(keyid)).findFirst().orElse(null);
        if (key == null) {
            return fail(
                    "it is signed by key '"
                            + Integrity.shorten(keyid)
                            + "', which the registry does not list");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(sig.path("sig").asText(""));
        } catch (IllegalArgumentException e) {
            return fail("its signature is not base64");
        }
        byte[] pae = pae(type, payload);
        if (!(key.key() instanceof ECPublicKey ec) || !EcdsaSignatures.verify(ec, pae, signature)) {
            return fail("its signature does not verify with the registry's key " + keyid);
        }
        JsonNode statement;
        try {
            statement = JSON.readTree(payload);
        } catch (IOException e) {
            return fail("its statement is not JSON");
        }
        if (!PREDICATE.equals(statement.path("predicateType").asText())) {
            return fail(
                    "its predicate type is '"
                            + Integrity.shorten(statement.path("predicateType").asText())
                            + "'");
        }
        JsonNode subjects = statement.path("subject");
        String purl = NpmProvenance.purl(name, version);
        if (subjects.size() != 1 || !purl.equals(subjects.path(0).path("name").asText())) {
            return fail(
                    "its subject is "
                            + Integrity.shorten(subjects.path(0).path("name").asText("none"))
                            + ", expected "
                            + purl);
        }
        if (!sha512Hex.equals(subjects.path(0).path("digest").path("sha512").asText())) {
            return fail("its subject's sha512 is not the tarball's");
        }
        return Finding.pass(
                Check.PUBLISH_ATTESTATION,
                "the registry attests publishing this tarball (key " + keyid + ")");
    }

    private static Finding fail(String why) {
        return Finding.fail(
                Check.PUBLISH_ATTESTATION, "the publish attestation does not hold: " + why);
    }

    /** DSSE's pre-authentication encoding. */
    private static byte[] pae(String type, byte[] payload) {
        byte[] head =
                ("DSSEv1 "
                                + type.getBytes(StandardCharsets.UTF_8).length
                                + " "
                                + type
                                + " "
                                + payload.length
                                + " ")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }
}
