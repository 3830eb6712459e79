package dev.warden.proxy;

import java.time.Duration;
import java.util.List;

/**
 * The proxy's policy for what comes in ({@code [proxy]}) and its uplinks ({@code [[uplinks]]}).
 *
 * @param minimumReleaseAge versions younger than this are hidden (dist-tags move to the newest
 *     old-enough version); zero: none hidden
 * @param minimumReleaseAgeExclude name patterns exempt from the minimum age
 * @param internalScopes scopes ({@code @acme}) never looked up upstream
 * @param unsignedUpstream what a version without a registry signature gets: allow (served), flag
 *     (served, reported) or refuse (held)
 * @param denyInstallScripts true: a version with install scripts is held unless its name matches
 *     {@code installScriptsAllow}
 * @param osvFeed an OSV feed of malware advisories ({@code MAL-}) to quarantine from (a URL of a
 *     JSON array of OSV records, or of a zip of them), or null
 */
public record ProxySettings(
        List<Uplink> uplinks,
        Duration minimumReleaseAge,
        List<String> minimumReleaseAgeExclude,
        List<String> internalScopes,
        UnsignedUpstream unsignedUpstream,
        boolean denyInstallScripts,
        List<String> installScriptsAllow,
        String osvFeed) {

    public ProxySettings {
        uplinks = List.copyOf(uplinks);
        minimumReleaseAgeExclude = List.copyOf(minimumReleaseAgeExclude);
        internalScopes = List.copyOf(internalScopes);
        installScriptsAllow = List.copyOf(installScriptsAllow);
    }

    /** What a version the upstream did not sign gets. */
    public enum UnsignedUpstream {
        ALLOW,
        FLAG,
        REFUSE
    }

    /** No uplinks: the proxy is off. */
    public static ProxySettings none() {
        return new ProxySettings(
                List.of(),
                Duration.ZERO,
                List.of(),
                List.of(),
                UnsignedUpstream.ALLOW,
                false,
                List.of(),
                null);
    }

    public boolean enabled() {
        return !uplinks.isEmpty();
    }
}
