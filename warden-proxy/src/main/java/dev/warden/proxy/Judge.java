package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.UpstreamEvent;
import dev.warden.verify.Integrity;
import dev.warden.verify.trust.RegistryTrust;
import dev.warden.verify.trust.TrustException;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the packument alone shows against each upstream version, before any tarball is fetched: a
 * tarball on another origin than the uplink, a registry signature that does not verify (or none,
 * under {@code unsigned_upstream = "refuse"}), a provenance or trusted-publisher downgrade, install
 * scripts under {@code install_scripts = "deny"}. Each held version gets one reason (several joined
 * by "; ").
 *
 * <p>It also notices an ingested version whose upstream integrity changed since: the stored row
 * does not change (clients keep the verified bytes) and the event {@code tarball.changed} is
 * recorded. Judged once per upstream packument body (the caller keeps the result with the rendered
 * document), so each change is reported once per body that shows it.
 */
final class Judge {

    private final ProxySettings settings;
    private final MetadataStore store;
    private final UpstreamTrust trust;
    private final SignatureCheck signatures = new SignatureCheck();
    private final ScriptRule scripts;
    private final Clock clock;

    Judge(ProxySettings settings, MetadataStore store, UpstreamTrust trust, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.trust = trust;
        this.scripts = new ScriptRule(settings);
        this.clock = clock;
    }

    /** Per version of {@code upstreamDoc}, the reason it is held; versions not held are absent. */
    Map<String, String> holds(Uplink uplink, String name, JsonNode upstreamDoc) {
        RegistryTrust keys = null;
        try {
            keys = trust.of(uplink);
        } catch (TrustException e) {
            // Nothing to judge signatures by now; the ingest asks again and refuses without it.
        }
        Map<String, String> downgrades = Continuity.fromPackument(upstreamDoc);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : upstreamDoc.path("versions").properties()) {
            String version = e.getKey();
            JsonNode v = e.getValue();
            List<String> reasons = new ArrayList<>();
            try {
                offOrigin(uplink, v).ifPresent(reasons::add);
                if (keys != null) {
                    SignatureCheck.hold(
                                    signatures.check(
                                            uplink,
                                            name,
                                            version,
                                            v,
                                            Continuity.time(upstreamDoc, version),
                                            keys),
                                    settings,
                                    uplink)
                            .ifPresent(reasons::add);
                }
                Optional.ofNullable(downgrades.get(version)).ifPresent(reasons::add);
                scripts.holdFromManifest(name, version, v).ifPresent(reasons::add);
            } catch (RuntimeException ex) {
                // one malformed version is held, not a failure of the whole packument
                reasons.add(
                        "the uplink's document of this version is malformed: " + ex.getMessage());
            }
            if (!reasons.isEmpty()) {
                out.put(version, String.join("; ", reasons));
            }
        }
        changedTarballs(uplink, name, upstreamDoc);
        return out;
    }

    /** A tarball is taken only from the uplink's own origin (its token goes nowhere else). */
    private static Optional<String> offOrigin(Uplink uplink, JsonNode versionDoc) {
        String tarball = versionDoc.path("dist").path("tarball").asText("");
        if (UpstreamVersion.sameOrigin(tarball, uplink.url())) {
            return Optional.empty();
        }
        return Optional.of(
                "its tarball is on another origin ("
                        + Integrity.shorten(origin(tarball))
                        + ") than uplink "
                        + uplink.name());
    }

    private static String origin(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /**
     * Records {@code tarball.changed} for each ingested version the upstream now gives otherwise.
     */
    private void changedTarballs(Uplink uplink, String name, JsonNode upstreamDoc) {
        List<IngestedVersion> rows = store.read(tx -> tx.upstreams().versions(name));
        List<UpstreamEvent> events = new ArrayList<>();
        for (IngestedVersion row : rows) {
            JsonNode v = upstreamDoc.path("versions").path(row.version());
            if (!v.isObject()) {
                continue; // gone upstream: what was verified stays
            }
            String now = UpstreamVersion.upstreamIntegrity(v.path("dist"));
            if (now != null && !UpstreamVersion.sameTarball(now, row)) {
                events.add(
                        new UpstreamEvent(
                                0,
                                uplink.name(),
                                "tarball.changed",
                                name,
                                row.version(),
                                "uplink "
                                        + uplink.name()
                                        + " now gives "
                                        + Integrity.shorten(now)
                                        + " for "
                                        + name
                                        + "@"
                                        + row.version()
                                        + ", ingested as "
                                        + Integrity.shorten(row.integrity())
                                        + ": the ingested tarball is kept",
                                clock.instant()));
            }
        }
        if (!events.isEmpty()) {
            store.write(
                    tx -> {
                        events.forEach(tx.upstreams()::addEvent);
                        return null;
                    });
        }
    }
}
