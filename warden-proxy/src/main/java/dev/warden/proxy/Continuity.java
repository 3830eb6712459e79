package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.provenance.sigstore.NpmProvenance;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Trust continuity: a version of a package whose earlier versions had provenance or a trusted
 * publisher must have them too, from the same source. It is compared with the newest earlier
 * version (by the upstream's {@code time}) that had either: with neither now, it is a downgrade;
 * with provenance from another repository or workflow, it is another source. An attacker who steals
 * a maintainer's token can publish, but not from the package's CI.
 *
 * <p>The packument alone shows a downgrade ({@code dist.attestations.provenance}, {@code
 * _npmUser.trustedPublisher}); the source is known only once provenance is verified: at ingest,
 * from the verified facts of both versions (the earlier one's as its ingest kept them, else the
 * repository its manifest names).
 */
final class Continuity {

    private Continuity() {}

    /** The newest earlier version that had provenance or a trusted publisher. */
    private record Earlier(String version, JsonNode doc, boolean provenance) {}

    /**
     * From the packument alone: each version that shows a downgrade, with the reason. One pass over
     * the versions in time order (a packument may have thousands).
     */
    static Map<String, String> fromPackument(JsonNode packument) {
        record Timed(String version, Instant at, JsonNode doc) {}
        List<Timed> timed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : packument.path("versions").properties()) {
            Instant at = time(packument, e.getKey());
            if (at != null) {
                timed.add(new Timed(e.getKey(), at, e.getValue()));
            }
        }
        timed.sort(Comparator.comparing(Timed::at));
        Map<String, String> out = new LinkedHashMap<>();
        Earlier last = null;
        Instant lastAt = null;
        for (Timed t : timed) {
            boolean provenance = provenance(t.doc());
            boolean trusted = trustedPublisher(t.doc());
            if (!provenance && !trusted && last != null && lastAt.isBefore(t.at())) {
                out.put(t.version(), downgrade(last, t.version(), Optional.empty()));
            }
            if (provenance || trusted) {
                last = new Earlier(t.version(), t.doc(), provenance);
                lastAt = t.at();
            }
        }
        return out;
    }

    /**
     * At ingest, with this version's verified provenance (or none).
     *
     * @param ingested the facts an earlier version's ingest verified, by version
     */
    static Optional<String> atIngest(
            JsonNode packument,
            String version,
            Optional<NpmProvenance> verified,
            Function<String, Optional<NpmProvenance>> ingested) {
        JsonNode v = packument.path("versions").path(version);
        Optional<Earlier> before = earlier(packument, version);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        Earlier e = before.get();
        Optional<NpmProvenance> then = ingested.apply(e.version());
        if (verified.isEmpty()) {
            if (!e.provenance() && trustedPublisher(v)) {
                return Optional.empty(); // trusted publisher then and now
            }
            return Optional.of(downgrade(e, version, then));
        }
        NpmProvenance now = verified.get();
        if (then.isPresent()) {
            NpmProvenance t = then.get();
            boolean sameRepo = t.sourceRepository().equalsIgnoreCase(now.sourceRepository());
            boolean sameWorkflow = java.util.Objects.equals(t.workflow(), now.workflow());
            if (!sameRepo || !sameWorkflow) {
                return Optional.of(
                        "provenance from another source: "
                                + e.version()
                                + " was built from "
                                + t.sourceRepository()
                                + " ("
                                + t.workflow()
                                + "), "
                                + version
                                + " from "
                                + now.sourceRepository()
                                + " ("
                                + now.workflow()
                                + ")");
            }
            return Optional.empty();
        }
        String repo = repository(e.doc());
        if (e.provenance()
                && repo != null
                && !NpmProvenance.sameRepository(repo, now.sourceRepository())) {
            return Optional.of(
                    "provenance from another source: "
                            + e.version()
                            + " names the repository "
                            + repo
                            + ", "
                            + version
                            + " was built from "
                            + now.sourceRepository());
        }
        return Optional.empty();
    }

    private static String downgrade(Earlier e, String version, Optional<NpmProvenance> then) {
        if (e.provenance()) {
            String from =
                    then.map(NpmProvenance::sourceRepository)
                            .orElseGet(
                                    () -> {
                                        String r = repository(e.doc());
                                        return r == null ? "its repository" : r;
                                    });
            return "provenance downgrade: "
                    + e.version()
                    + " had provenance from "
                    + from
                    + ", "
                    + version
                    + " has none";
        }
        return "trusted publisher downgrade: "
                + e.version()
                + " was published by a trusted publisher, "
                + version
                + " was not";
    }

    private static Optional<Earlier> earlier(JsonNode packument, String version) {
        Instant at = time(packument, version);
        if (at == null) {
            return Optional.empty();
        }
        Earlier best = null;
        Instant bestAt = null;
        for (Map.Entry<String, JsonNode> e : packument.path("versions").properties()) {
            Instant t = time(packument, e.getKey());
            if (t == null || !t.isBefore(at) || (bestAt != null && !t.isAfter(bestAt))) {
                continue;
            }
            JsonNode v = e.getValue();
            if (provenance(v) || trustedPublisher(v)) {
                best = new Earlier(e.getKey(), v, provenance(v));
                bestAt = t;
            }
        }
        return Optional.ofNullable(best);
    }

    static boolean provenance(JsonNode versionDoc) {
        return versionDoc.path("dist").path("attestations").path("provenance").isObject();
    }

    static boolean trustedPublisher(JsonNode versionDoc) {
        JsonNode t = versionDoc.path("_npmUser").path("trustedPublisher");
        return !t.isMissingNode() && !t.isNull();
    }

    private static String repository(JsonNode versionDoc) {
        JsonNode r = versionDoc.path("repository");
        String url = r.isTextual() ? r.asText() : r.path("url").asText(null);
        return url == null || url.isBlank() ? null : url;
    }

    static Instant time(JsonNode packument, String version) {
        try {
            String t = packument.path("time").path(version).asText(null);
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
