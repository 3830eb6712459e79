package dev.warden.verify;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.provenance.sigstore.EcdsaSignatures;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.trust.RegistryKey;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * npm's registry signatures ({@code dist.signatures}): ECDSA P-256 with SHA-256 over {@code
 * name@version:integrity}, by a key the registry publishes, as pacote checks them: at least one
 * signature must be by a known key and valid, and a key that had expired when the version was
 * published does not count.
 */
public final class RegistrySignatures {

    private RegistrySignatures() {}

    public static Finding check(
            String name,
            String version,
            String integrity,
            JsonNode signatures,
            List<RegistryKey> keys,
            Instant publishedAt) {
        String spec = name + "@" + version;
        if (keys.isEmpty()) {
            return Finding.info(
                    Check.SIGNATURE, "the registry publishes no signing keys: nothing to check");
        }
        if (!signatures.isArray() || signatures.isEmpty()) {
            return Finding.fail(
                    Check.SIGNATURE,
                    spec + " carries no registry signature, but the registry signs its versions");
        }
        byte[] message = (spec + ":" + integrity).getBytes(StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (JsonNode s : signatures) {
            String keyid = s.path("keyid").asText("");
            RegistryKey key =
                    keys.stream().filter(k -> k.keyid().equals(keyid)).findFirst().orElse(null);
            if (key == null) {
                problems.add(
                        "signed by key '"
                                + Integrity.shorten(keyid)
                                + "', which the registry does not list");
                continue;
            }
            if (key.expires() != null
                    && (publishedAt == null || !publishedAt.isBefore(key.expires()))) {
                problems.add(
                        "signed by key "
                                + keyid
                                + ", which expired at "
                                + key.expires()
                                + (publishedAt == null
                                        ? ", and the registry gives no publish time to show the"
                                                + " version was signed before"
                                        : ", before the version was published ("
                                                + publishedAt
                                                + ")"));
                continue;
            }
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(s.path("sig").asText(""));
            } catch (IllegalArgumentException e) {
                problems.add("the signature by " + keyid + " is not base64");
                continue;
            }
            if (key.key() instanceof ECPublicKey ec && EcdsaSignatures.verify(ec, message, sig)) {
                return Finding.pass(Check.SIGNATURE, "signed by the registry's key " + keyid);
            }
            problems.add(
                    "the signature by "
                            + keyid
                            + " does not verify over "
                            + spec
                            + ":"
                            + Integrity.shorten(integrity));
        }
        return Finding.fail(Check.SIGNATURE, String.join("; ", problems));
    }
}
