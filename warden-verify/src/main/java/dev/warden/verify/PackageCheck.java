package dev.warden.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.verify.lockfile.LockedPackage;
import dev.warden.verify.lockfile.SourceKind;
import dev.warden.verify.log.LogInclusion;
import dev.warden.verify.policy.Policy;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.trust.LogKeys;
import dev.warden.verify.trust.RegistryTrust;

import org.semver4j.Semver;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every check of one locked package, top to bottom: the lockfile's entry, its source, the
 * registry's packument, integrity of the lockfile and of the tarball, the registry signature, the
 * provenance and publish attestation, the log entry (collected here, checked in a batch), the
 * release age and install scripts. A check that cannot run (nothing fetched) ends the flow with its
 * finding; nothing here throws.
 */
final class PackageCheck {

    private static final long TARBALL_LIMIT = 256L << 20;
    private static final long ATTESTATIONS_LIMIT = 8L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one package's checks found, and the log entry to check for it, if any. */
    record Outcome(List<Finding> findings, LogKeys log, LogInclusion.Claim claim) {}

    private final Registries registries;
    private final FetchCache cache;
    private final Policy policy;
    private final Clock clock;
    private final ProvenanceVerdicts verdicts;

    PackageCheck(Registries registries, FetchCache cache, Policy policy, Clock clock) {
        this.registries = registries;
        this.cache = cache;
        this.verdicts = new ProvenanceVerdicts(cache);
        this.policy = policy;
        this.clock = clock;
    }

    Outcome check(LockedPackage p) {
        List<Finding> out = new ArrayList<>();
        try {
            return flow(p, out);
        } catch (RuntimeException e) {
            out.add(Finding.fail(Check.FETCH, "the checks stopped: " + e));
            return new Outcome(out, null, null);
        }
    }

    private Outcome flow(LockedPackage p, List<Finding> out) {
        Outcome done = new Outcome(out, null, null);
        // 1. The lockfile's entry.
        if (p.kind() == SourceKind.LINK && outsideProject(p.resolved())) {
            out.add(
                    policy.sourceAllowed(SourceKind.FILE)
                            ? Finding.info(
                                    Check.SOURCE,
                                    "links to "
                                            + Integrity.shorten(p.resolved())
                                            + ", outside the project: not verified")
                            : Finding.fail(
                                    Check.SOURCE,
                                    "links to "
                                            + Integrity.shorten(p.resolved())
                                            + ", outside the project, and the policy's [sources]"
                                            + " does not allow local files"));
            return done;
        }
        if (p.kind() == SourceKind.LINK) {
            out.add(
                    Finding.info(
                            Check.SOURCE,
                            "a package of the project itself ("
                                    + p.resolved()
                                    + "): not verified"));
            return done;
        }
        Optional<String> badName = PackageNames.problem(p.name());
        if (badName.isPresent()) {
            out.add(Finding.fail(Check.LOCKFILE, badName.get()));
            return done;
        }
        List<Integrity.Hash> pinned = null;
        if (p.integrity() != null) {
            try {
                pinned = Integrity.parse(p.integrity());
            } catch (IllegalArgumentException e) {
                out.add(Finding.fail(Check.LOCKFILE, e.getMessage()));
            }
        }
        // 2. Its source.
        if (!policy.sourceAllowed(p.kind())) {
            out.add(
                    Finding.fail(
                            Check.SOURCE,
                            "comes from "
                                    + kind(p.kind())
                                    + " ("
                                    + Integrity.shorten(String.valueOf(p.resolved()))
                                    + "), which the policy's [sources] does not allow"));
        }
        if (p.kind() != SourceKind.REGISTRY) {
            out.add(
                    Finding.info(
                            Check.SOURCE,
                            "from "
                                    + kind(p.kind())
                                    + ": no registry signature or provenance to check"));
            scripts(out, p, null, false);
            return done;
        }
        if (Semver.parse(p.version()) == null) {
            out.add(
                    Finding.fail(
                            Check.LOCKFILE,
                            "'" + Integrity.shorten(p.version()) + "' is not a semver version"));
            return done;
        }
        Registries.Expected expected = registries.registryFor(p);
        URI registry = expected.registry();
        URI resolved = resolvedUri(p, out);
        if (resolved != null
                && expected.configured()
                && !Registries.sameOrigin(resolved, registry)) {
            out.add(
                    Finding.fail(
                            Check.SOURCE,
                            "resolved from "
                                    + Registries.origin(resolved)
                                    + ", not from the registry "
                                    + registry));
            return done;
        }
        // 3. The registry's packument.
        JsonNode doc;
        try {
            doc = registries.packument(registry, p.name());
        } catch (Exception e) {
            out.add(Finding.fail(Check.FETCH, "packument of " + p.name() + ": " + e.getMessage()));
            return done;
        }
        JsonNode v = doc.path("versions").path(p.version());
        if (!v.isObject()) {
            out.add(
                    Finding.fail(
                            Check.FETCH,
                            p.spec()
                                    + " is not in the registry's packument"
                                    + restriction(doc, p.version())));
            return done;
        }
        // 4. Integrity: the lockfile's and the registry's agree, and the tarball has it.
        JsonNode dist = v.path("dist");
        String integrity = dist.path("integrity").asText(null);
        if (integrity == null && dist.hasNonNull("shasum")) {
            integrity = Integrity.sha1FromHex(dist.path("shasum").asText());
        }
        List<Integrity.Hash> registryHashes;
        try {
            registryHashes = Integrity.parse(integrity == null ? "" : integrity);
        } catch (IllegalArgumentException e) {
            out.add(
                    Finding.fail(
                            Check.INTEGRITY,
                            "the registry's integrity for " + p.spec() + ": " + e.getMessage()));
            return done;
        }
        if (pinned != null && !Integrity.agree(pinned, registryHashes)) {
            out.add(
                    Finding.fail(
                            Check.INTEGRITY,
                            "the lockfile pins "
                                    + Integrity.shorten(p.integrity())
                                    + ", the registry now gives "
                                    + Integrity.shorten(integrity)));
            return done;
        }
        URI tarball = resolved != null ? resolved : tarballUri(dist);
        if (tarball == null) {
            out.add(Finding.fail(Check.FETCH, "no tarball URL for " + p.spec()));
            return done;
        }
        Integrity.Digests digests;
        boolean tarballScripts;
        try {
            TarballFacts facts = tarball(tarball, integrity);
            digests = facts.digests();
            tarballScripts = facts.installScripts();
        } catch (FetchException e) {
            out.add(Finding.fail(Check.FETCH, "tarball: " + e.getMessage()));
            return done;
        }
        Integrity.Hash wrong = Integrity.mismatch(registryHashes, digests);
        if (wrong == null && pinned != null) {
            wrong = Integrity.mismatch(pinned, digests); // every hash the lockfile pins, too
        }
        if (wrong != null) {
            out.add(
                    Finding.fail(
                            Check.INTEGRITY,
                            "the tarball's "
                                    + wrong.algorithm()
                                    + " is "
                                    + Integrity.shorten(digests.of(wrong.algorithm()))
                                    + ", the registry's integrity says "
                                    + Integrity.shorten(wrong.base64())));
            return done;
        }
        out.add(
                Finding.pass(
                        Check.INTEGRITY,
                        "the tarball has the integrity the lockfile and the registry give"));
        Instant published = published(doc, p.version());
        // 5. The registry signature.
        RegistryTrust trust;
        try {
            trust = registries.trust(registry);
        } catch (Exception e) {
            out.add(
                    Finding.fail(
                            Check.FETCH, "trust material of " + registry + ": " + e.getMessage()));
            age(out, p, published);
            scripts(out, p, v, tarballScripts);
            return done;
        }
        out.add(
                RegistrySignatures.check(
                        p.name(),
                        p.version(),
                        integrity,
                        dist.path("signatures"),
                        trust.registryKeys(),
                        published));
        // 6. Provenance and the publish attestation.
        attestations(out, p, v, registry, trust, digests);
        // 7. The log entry, checked with the others after every package.
        LogInclusion.Claim claim = null;
        LogKeys log = trust.log().orElse(null);
        JsonNode entry = v.path("_log");
        if (log != null) {
            if (entry.path("index").canConvertToLong() && entry.path("index").asLong(-1) >= 0) {
                claim =
                        new LogInclusion.Claim(
                                entry.path("index").asLong(), p.name(), p.version(), integrity);
            } else {
                out.add(
                        Finding.fail(
                                Check.LOG,
                                "the registry keeps a transparency log, but names no entry for "
                                        + p.spec()));
            }
        }
        // 8. Age and install scripts.
        age(out, p, published);
        scripts(out, p, v, tarballScripts);
        return new Outcome(out, log, claim);
    }

    private void attestations(
            List<Finding> out,
            LockedPackage p,
            JsonNode v,
            URI registry,
            RegistryTrust trust,
            Integrity.Digests digests) {
        JsonNode att = v.path("dist").path("attestations");
        if (!att.isObject()) {
            BuildProvenance.missing(out, p.name(), policy);
            return;
        }
        JsonNode doc;
        try {
            // As npm does: the path the packument gives, on the registry's own host.
            URI given = URI.create(att.path("url").asText(""));
            String path = given.getRawPath() == null ? "" : given.getRawPath();
            URI uri = registry.resolve(path.replaceFirst("^/+", "/"));
            if (!Registries.sameOrigin(uri, registry)) {
                throw new IllegalArgumentException(
                        "the attestations URL leaves the registry's host: "
                                + Integrity.shorten(path));
            }
            doc =
                    JSON.readTree(
                            cache.immutable(uri, ATTESTATIONS_LIMIT, PackageCheck::attestations));
        } catch (FetchException | IllegalArgumentException e) {
            out.add(Finding.fail(Check.FETCH, "attestations: " + e.getMessage()));
            return;
        } catch (IOException e) {
            out.add(Finding.fail(Check.FETCH, "attestations: the registry answered invalid JSON"));
            return;
        }
        JsonNode provenance = null;
        JsonNode publish = null;
        for (JsonNode a : doc.path("attestations")) {
            String type = a.path("predicateType").asText("");
            if (type.equals(PublishAttestation.PREDICATE)) {
                publish = a.path("bundle");
            } else if (type.startsWith("https://slsa.dev/provenance/")) {
                provenance = a.path("bundle");
            }
        }
        if (provenance != null) {
            JsonNode repo = v.path("repository");
            String repositoryUrl = repo.isTextual() ? repo.asText() : repo.path("url").asText(null);
            byte[] bundle = provenance.toString().getBytes(StandardCharsets.UTF_8);
            ProvenanceVerdicts.Verdict verdict =
                    verdicts.verdict(
                            registries.fingerprint(trust),
                            bundle,
                            p.name(),
                            p.version(),
                            digests,
                            repositoryUrl,
                            () ->
                                    NpmProvenance.check(
                                            registries.verifier(trust),
                                            bundle,
                                            p.name(),
                                            p.version(),
                                            digests.sha256Bytes(),
                                            digests.sha512Hex(),
                                            null,
                                            (type, issuer) -> true,
                                            repositoryUrl));
            BuildProvenance.check(out, verdict, p.name(), policy);
        } else {
            if (att.path("provenance").isObject()) {
                out.add(
                        Finding.fail(
                                Check.PROVENANCE,
                                "the packument announces provenance, but the registry's"
                                        + " attestations hold none"));
            } else {
                BuildProvenance.missing(out, p.name(), policy);
            }
        }
        if (publish != null) {
            out.add(
                    PublishAttestation.check(
                            publish,
                            p.name(),
                            p.version(),
                            digests.sha512Hex(),
                            trust.registryKeys()));
        }
    }

    private void age(List<Finding> out, LockedPackage p, Instant published) {
        Optional<Duration> minimum = policy.minimumAge(p.name());
        if (minimum.isEmpty()) {
            return;
        }
        if (published == null) {
            out.add(Finding.fail(Check.AGE, "the registry gives no publish time for " + p.spec()));
            return;
        }
        Duration age = Duration.between(published, clock.instant());
        if (age.compareTo(minimum.get()) < 0) {
            out.add(
                    Finding.fail(
                            Check.AGE,
                            "published "
                                    + human(age)
                                    + " ago ("
                                    + published
                                    + "); the policy asks at least "
                                    + human(minimum.get())));
        } else {
            out.add(Finding.pass(Check.AGE, "published " + human(age) + " ago"));
        }
    }

    private void scripts(List<Finding> out, LockedPackage p, JsonNode v, boolean inTarball) {
        boolean has = p.installScript() || inTarball;
        if (v != null) {
            JsonNode s = v.path("scripts");
            has |=
                    s.hasNonNull("preinstall")
                            || s.hasNonNull("install")
                            || s.hasNonNull("postinstall");
            has |=
                    v.path("hasInstallScript").asBoolean(false)
                            || v.path("gypfile").asBoolean(false);
        }
        if (!has) {
            return;
        }
        out.add(
                policy.scriptsAllowed(p.name())
                        ? Finding.pass(
                                Check.SCRIPTS,
                                "runs install scripts, which the policy allows for it")
                        : Finding.fail(
                                Check.SCRIPTS,
                                "runs install scripts, and the policy's [scripts] does not allow"
                                        + " them for "
                                        + p.name()));
    }

    private TarballFacts tarball(URI tarball, String integrity) throws FetchException {
        String key = tarball + " " + integrity;
        TarballFacts known =
                cache.fact("tarball-v2", key).map(TarballFacts::parseLine).orElse(null);
        if (known != null) {
            return known;
        }
        TarballFacts made = TarballFacts.of(cache.uncached(tarball, TARBALL_LIMIT));
        cache.putFact("tarball-v2", key, made.line());
        return made;
    }

    private static URI resolvedUri(LockedPackage p, List<Finding> out) {
        if (p.resolved() == null) {
            return null;
        }
        try {
            URI u = URI.create(p.resolved());
            if (u.getScheme() != null
                    && u.getScheme().toLowerCase(Locale.ROOT).matches("https?")
                    && u.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        out.add(
                Finding.fail(
                        Check.LOCKFILE,
                        "resolved '"
                                + Integrity.shorten(p.resolved())
                                + "' is not an http(s) URL"));
        return null;
    }

    /** Whether bytes are an attestations document: a JSON object with an attestations list. */
    private static boolean attestations(byte[] bytes) {
        try {
            return JSON.readTree(bytes).path("attestations").isArray();
        } catch (IOException e) {
            return false;
        }
    }

    /** A link whose target is not inside the project directory. */
    private static boolean outsideProject(String target) {
        if (target == null) {
            return false;
        }
        String t = target.replaceFirst("^(link|file|portal):", "").replace('\\', '/');
        return t.startsWith("/")
                || t.matches("^[A-Za-z]:.*")
                || t.equals("..")
                || t.startsWith("../")
                || t.contains("/../");
    }

    private static URI tarballUri(JsonNode dist) {
        try {
            URI u = URI.create(dist.path("tarball").asText(""));
            return u.getScheme() != null && u.getScheme().matches("(?i)https?") ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant published(JsonNode doc, String version) {
        try {
            String t = doc.path("time").path(version).asText(null);
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String restriction(JsonNode doc, String version) {
        JsonNode r = doc.path("policyRestrictions").path(version);
        if (r.isMissingNode()) {
            return "";
        }
        String why = r.isTextual() ? r.asText() : r.path("reason").asText(r.toString());
        return " (held by the registry: " + Integrity.shorten(why) + ")";
    }

    private static String kind(SourceKind k) {
        return switch (k) {
            case GIT -> "git";
            case URL -> "a URL";
            case FILE -> "a local file";
            default -> k.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String human(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " hours";
        }
        return Math.max(0, d.toMinutes()) + " minutes";
    }
}
