package dev.warden.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One configured upstream registry ({@code [[uplinks]]}).
 *
 * @param name how the configuration, the logs and the packument headers name it
 * @param url its base URL, ending in "/"
 * @param packages name patterns it serves ({@code **}, {@code @scope/*}, {@code lodash}); the first
 *     uplink whose patterns match a name serves it
 * @param token a bearer token sent to its origin only, if any
 * @param timeout how long one request to it may take, body included
 * @param maxAge how long a cached packument is served without asking the uplink again
 */
public record Uplink(
        String name,
        URI url,
        List<String> packages,
        Optional<String> token,
        Duration timeout,
        Duration maxAge) {

    public Uplink {
        packages = List.copyOf(packages);
        if (!url.toString().endsWith("/")) {
            url = URI.create(url + "/");
        }
    }
}
