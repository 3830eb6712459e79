package dev.warden.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.warden.accounts.Accounts;
import dev.warden.governance.GovernanceSettings;
import dev.warden.governance.Succession;
import dev.warden.provenance.IdTokens;
import dev.warden.proxy.ProxySettings;
import dev.warden.proxy.Uplink;
import dev.warden.registry.LookalikeNames;
import dev.warden.registry.RegistrySettings;
import dev.warden.registry.ReviewSetup;
import dev.warden.registry.TarballInspector;
import dev.warden.review.ReviewSettings;
import dev.warden.server.http.BodyBudget;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The domain modules' settings as the configuration gives them: one translation per module, with no
 * state, so the composition root reads as what is connected to what.
 */
final class ServerSettings {

    private ServerSettings() {}

    /**
     * The JSON mapper of requests and stored documents: strings as long as the largest body allows,
     * nesting at most 200 deep.
     */
    static ObjectMapper json(Config.Server server) {
        // No shared symbol table for field names: publish bodies and manifests bring new names
        // (versions, file names, dependencies) on every request, and a growing shared table is
        // copied per parse.
        ObjectMapper json =
                JsonMapper.builder(
                                JsonFactory.builder()
                                        .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                                        .build())
                        .build();
        json.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxStringLength(
                                        (int)
                                                Math.min(
                                                        Integer.MAX_VALUE,
                                                        server.maxBodyBytes() * 2))
                                .maxNestingDepth(200)
                                .build());
        return json;
    }

    static Accounts.Settings accounts(Config.Accounts a, String publicUrl) {
        return new Accounts.Settings(
                Accounts.Registration.valueOf(a.registration().toUpperCase(Locale.ROOT)),
                a.minPasswordLength(),
                a.loginTokenHours() <= 0 ? null : Duration.ofHours(a.loginTokenHours()),
                Duration.ofHours(a.sensitivePauseHours()),
                publicUrl);
    }

    static RegistrySettings registry(Config config, String publicUrl) {
        Config.Limits l = config.limits();
        Config.Registry rc = config.registry();
        return new RegistrySettings(
                publicUrl,
                new TarballInspector.Limits(
                        l.maxUnpackedBytes(),
                        l.maxEntries(),
                        l.maxRatio(),
                        l.ratioFloorBytes(),
                        1 << 20),
                Duration.ofHours(rc.unpublishWindowHours()),
                rc.unpublishMaxWeeklyDownloads(),
                Duration.ofHours(rc.republishBlockHours()),
                (long) rc.packumentCacheMb() << 20,
                new LookalikeNames.Settings(
                        config.review().refuseLookalikeNames(),
                        config.review().popularNames(),
                        config.review().popularMinDependents(),
                        config.review().popularMinWeeklyDownloads()));
    }

    /**
     * The release review: the registry's policy and the stricter one of high-impact and governed
     * packages, from {@code [review]}.
     */
    static ReviewSetup review(Config.Review review) {
        return ReviewSetup.of(
                ReviewRules.policy(review, false),
                ReviewRules.policy(review, true),
                ReviewSettings.DEFAULTS);
    }

    static GovernanceSettings governance(Config.Governance g, Succession.Notifier notifier) {
        return new GovernanceSettings(
                g.highImpactWeeklyDownloads(),
                g.highImpactDependents(),
                Duration.ofDays(g.minApproverAccountAgeDays()),
                Duration.ofDays(g.inactiveDays()),
                Duration.ofDays(g.noticeDays()),
                notifier);
    }

    /** The CI issuers whose ID tokens are accepted: the configured ones and the extra ones. */
    static List<IdTokens.Issuer> issuers(Config.Oidc oidc) {
        List<IdTokens.Issuer> issuers = new ArrayList<>();
        for (Config.Issuer i : oidc.issuers()) {
            issuers.add(new IdTokens.Issuer(i.type(), i.issuer(), i.jwks()));
        }
        for (Config.Issuer i : oidc.extraIssuers()) {
            issuers.add(new IdTokens.Issuer(i.type(), i.issuer(), i.jwks()));
        }
        return issuers;
    }

    /**
     * The proxy's uplinks and policy from {@code [[uplinks]]} and {@code [proxy]} (already checked
     * by {@link ProxyRules}); no uplinks: the proxy is off.
     */
    static ProxySettings proxy(Config config) {
        List<Uplink> uplinks = new ArrayList<>();
        for (Config.Uplink u : config.uplinks()) {
            uplinks.add(
                    new Uplink(
                            u.name(),
                            URI.create(u.url()),
                            u.packages(),
                            u.token().isEmpty() ? Optional.empty() : Optional.of(u.token()),
                            Duration.ofSeconds(u.timeoutSeconds()),
                            Duration.ofSeconds(u.maxAgeSeconds())));
        }
        Config.Proxy p = config.proxy();
        return new ProxySettings(
                uplinks,
                Duration.ofHours(p.minimumReleaseAgeHours()),
                p.minimumReleaseAgeExclude(),
                p.internalScopes(),
                ProxySettings.UnsignedUpstream.valueOf(
                        p.unsignedUpstream().toUpperCase(Locale.ROOT)),
                p.installScripts().equalsIgnoreCase("deny"),
                p.installScriptsAllow(),
                p.osvFeed().isBlank() ? null : p.osvFeed());
    }

    /**
     * What large request bodies may hold in memory together, how often one client may send one, and
     * how fast bodies must arrive.
     */
    static BodyBudget bodyBudget(Config.Server s, Clock clock) {
        long bytes =
                s.bodyMemoryMb() > 0
                        ? s.bodyMemoryMb() << 20
                        : Runtime.getRuntime().maxMemory() / 8;
        return new BodyBudget(
                Math.max(bytes, 1 << 20),
                s.largeBodiesPerMinute(),
                Math.max(0, s.minBodyBytesPerSecond()),
                Duration.ofSeconds(Math.max(0, s.bodyGraceSeconds())),
                clock);
    }
}
