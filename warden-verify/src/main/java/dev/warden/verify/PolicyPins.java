package dev.warden.verify;

import dev.warden.verify.policy.Policy;
import dev.warden.verify.policy.RegistryPin;
import dev.warden.verify.trust.PinnedMaterial;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The trust material a policy's {@code [[registry]]} tables pin, by registry URL. */
final class PolicyPins {

    private PolicyPins() {}

    static Map<URI, PinnedMaterial> of(Policy policy) {
        Map<URI, PinnedMaterial> out = new LinkedHashMap<>();
        for (RegistryPin r : policy.registries()) {
            out.put(
                    Registries.base(URI.create(r.url())),
                    new PinnedMaterial(java.util.List.of(), null));
        }
        return out;
    }
}
