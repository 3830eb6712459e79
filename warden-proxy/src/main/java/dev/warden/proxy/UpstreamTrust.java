package dev.warden.proxy;

import java.util.List;
import java.util.Map;

/** PLACEHOLDER (owner B): the uplinks' registry keys. */
final class UpstreamTrust {

    UpstreamTrust(Proxy.Parts parts) {}

    /** The uplinks' keys as entries of npm's keys document. */
    List<Map<String, Object>> keys() {
        return List.of();
    }
}
