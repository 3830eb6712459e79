package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.review.Ecosystem;
import dev.warden.review.PopularNames;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.UpstreamPackument;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The release review's view of the ecosystem, as the proxy knows it: the upstream packuments it
 * keeps (whether a package exists, when it was created) and the public registry's popular names
 * shipped with Warden. What it cannot know of the upstream (dependents, other packages a publisher
 * released, files new in other packages) it answers as nothing, so those signals stay silent rather
 * than guess.
 */
final class ProxyEcosystem implements Ecosystem {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore store;
    private final List<String> popular;

    ProxyEcosystem(MetadataStore store) {
        this.store = store;
        this.popular = PopularNames.shipped();
    }

    @Override
    public boolean exists(String name) {
        return store.read(tx -> tx.upstreams().packument(name)).isPresent();
    }

    @Override
    public Optional<Instant> created(String name) {
        Optional<UpstreamPackument> p = store.read(tx -> tx.upstreams().packument(name));
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode created = JSON.readTree(p.get().body()).path("time").path("created");
            return created.isTextual()
                    ? Optional.of(Instant.parse(created.asText()))
                    : Optional.empty();
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public int dependents(String name) {
        return 0;
    }

    @Override
    public List<String> popularNames() {
        return popular;
    }

    @Override
    public int packagesPublishedBy(String user, Instant since) {
        return 0;
    }

    @Override
    public int otherPackagesWithNewFile(String sha256Hex, String pkg, Duration window) {
        return 0;
    }
}
