package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * PLACEHOLDER (owner B): the holds visible in an upstream packument alone. The signature the core
 * relies on: {@link #holds}.
 */
final class Judge {

    Judge(Proxy.Parts parts, UpstreamTrust trust) {}

    /** Per version, why it is held from the packument alone; empty: none held. */
    Map<String, String> holds(Uplink uplink, String name, JsonNode upstreamDoc) {
        return Map.of();
    }
}
