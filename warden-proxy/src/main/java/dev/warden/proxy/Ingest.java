package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.common.Problem;
import dev.warden.storage.Upstreams.IngestedVersion;

/**
 * PLACEHOLDER (owner B): fetch, verify and keep one upstream version. The signature the core relies
 * on: {@link #ingest}.
 */
final class Ingest {

    Ingest(Proxy.Parts parts, UpstreamTrust trust) {}

    /**
     * Ingests {@code name@version} described by the upstream packument {@code upstreamDoc} and
     * returns its row (served or held).
     *
     * @throws Problem FORBIDDEN or BAD_GATEWAY with the reason
     */
    IngestedVersion ingest(Uplink uplink, String name, String version, JsonNode upstreamDoc) {
        throw new Problem(Problem.Kind.BAD_GATEWAY, "ingest of upstream tarballs is not built yet");
    }
}
