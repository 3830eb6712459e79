package dev.warden.verify;

import dev.warden.verify.policy.Policy;
import dev.warden.verify.policy.RegistryPin;
import dev.warden.verify.trust.PinnedMaterial;
import dev.warden.verify.trust.TrustException;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The trust material a policy's {@code [[registry]]} tables pin, by registry URL. */
public final class PolicyPins {

    private PolicyPins() {}

    /**
     * Reads the keys and TUF roots the policy pins; a key that is not one or a root that is not a
     * TUF root is refused here, before anything is fetched.
     */
    public static Map<URI, PinnedMaterial> of(Policy policy) throws TrustException {
        Map<URI, PinnedMaterial> out = new LinkedHashMap<>();
        for (RegistryPin r : policy.registries()) {
            Map<String, String> keys = new LinkedHashMap<>();
            r.keys().forEach(k -> keys.put(k.keyid(), k.key()));
            out.put(Registries.base(r.uri()), PinnedMaterial.load(keys, r.tufRoot()));
        }
        return out;
    }
}
