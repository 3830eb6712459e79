package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.verify.RegistrySignatures;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.Status;
import dev.warden.verify.trust.RegistryTrust;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An upstream version's registry signature ({@code dist.signatures}: ECDSA P-256 over {@code
 * name@version:integrity}) against its uplink's keys, as warden-verify's {@link RegistrySignatures}
 * checks it for a consumer. Verdicts are kept per uplink, version, integrity, signatures and trust
 * material, so rendering a packument again verifies nothing again.
 */
final class SignatureCheck {

    private static final int KEPT = 100_000;
    private static final String SIGNED_BY = "signed by the registry's key ";

    /** What the signature check found. */
    sealed interface Result {}

    /** A signature by one of the uplink's keys verifies. */
    record Signed(String keyid) implements Result {}

    /** Nothing to check: no signature, or an uplink that publishes no keys. */
    record Absent(String why) implements Result {}

    /** Signatures are there and none verifies: the reason names the keys. */
    record Bad(String reason) implements Result {}

    private final Map<String, Result> verdicts =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(1024, 0.75f, true) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Result> e) {
                            return size() > KEPT;
                        }
                    });

    /**
     * The signature verdict for one version of the uplink's packument.
     *
     * @param versionDoc the version's document in the upstream packument
     * @param published the upstream's publish time of the version, or null
     */
    Result check(
            Uplink uplink,
            String name,
            String version,
            JsonNode versionDoc,
            Instant published,
            RegistryTrust trust) {
        JsonNode signatures = versionDoc.path("dist").path("signatures");
        if (!signatures.isArray() || signatures.isEmpty()) {
            return new Absent(name + "@" + version + " carries no registry signature");
        }
        if (trust.registryKeys().isEmpty()) {
            return new Absent("uplink " + uplink.name() + " publishes no signing keys");
        }
        String integrity = UpstreamVersion.upstreamIntegrity(versionDoc.path("dist"));
        String key =
                String.join(
                        "\n",
                        uplink.name(),
                        name,
                        version,
                        String.valueOf(integrity),
                        signatures.toString(),
                        String.valueOf(published),
                        trust.fingerprint());
        Result known = verdicts.get(key);
        if (known != null) {
            return known;
        }
        Finding f =
                RegistrySignatures.check(
                        name, version, integrity, signatures, trust.registryKeys(), published);
        Result r =
                f.status() == Status.PASS
                        ? new Signed(
                                f.message().startsWith(SIGNED_BY)
                                        ? f.message().substring(SIGNED_BY.length())
                                        : "")
                        : new Bad(
                                "the registry signature of uplink "
                                        + uplink.name()
                                        + " does not hold: "
                                        + f.message());
        verdicts.put(key, r);
        return r;
    }

    /** Why the version is held by the signature and the policy for unsigned versions, if it is. */
    static Optional<String> hold(Result r, ProxySettings settings, Uplink uplink) {
        return switch (r) {
            case Bad b -> Optional.of(b.reason());
            case Absent a ->
                    settings.unsignedUpstream() == ProxySettings.UnsignedUpstream.REFUSE
                            ? Optional.of("not signed by uplink " + uplink.name() + ": " + a.why())
                            : Optional.empty();
            case Signed s -> Optional.empty();
        };
    }
}
