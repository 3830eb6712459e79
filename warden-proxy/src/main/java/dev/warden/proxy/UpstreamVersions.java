package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.Upstreams.UpstreamPackument;

import org.semver4j.Semver;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One upstream version at a time: its tarball (refused with the reason, served from what was
 * ingested, or handed to {@link Ingest}), its attestations, and whether an uplink has a name.
 *
 * <p>A tarball is refused, in this order: quarantined; held on ingest; younger than the minimum
 * release age; held by the judge from the packument (then a held row is written, so the packument
 * keeps restricting it). Otherwise the ingested bytes are served, or the version is ingested now.
 */
final class UpstreamVersions {

    private static final long MAX_ATTESTATIONS = 16L << 20;

    private final Proxy.Parts parts;
    private final UpstreamPackuments upstream;
    private final ClientPackuments clients;
    private final Ingest ingest;

    UpstreamVersions(
            Proxy.Parts parts,
            UpstreamPackuments upstream,
            ClientPackuments clients,
            Ingest ingest) {
        this.parts = parts;
        this.upstream = upstream;
        this.clients = clients;
        this.ingest = ingest;
    }

    Optional<Proxy.Tarball> tarball(
            Uplink uplink,
            String name,
            String version,
            Supplier<Optional<ClientPackuments.Entry>> entry) {
        if (!canonical(version)) {
            return Optional.empty();
        }
        record Facts(Optional<IngestedVersion> row, List<Quarantine> quarantines) {}
        Facts facts =
                parts.store()
                        .read(
                                tx ->
                                        new Facts(
                                                tx.upstreams().version(name, version),
                                                tx.upstreams().quarantines(name)));
        for (Quarantine q : facts.quarantines()) {
            if (q.version().equals(version) || q.version().equals("*")) {
                throw forbidden(
                        name
                                + "@"
                                + version
                                + " is quarantined: "
                                + q.reason()
                                + " ("
                                + q.source()
                                + ")");
            }
        }
        Optional<IngestedVersion> row = facts.row();
        if (row.isPresent() && !row.get().served()) {
            throw forbidden(name + "@" + version + " is held: " + row.get().reason());
        }
        Optional<ClientPackuments.Entry> e = entry.get();
        if (e.isEmpty()) {
            return row.map(UpstreamVersions::tarball);
        }
        if (e.get().rendered().young().contains(version)) {
            throw forbidden(tooYoung(name, version));
        }
        if (row.isPresent()) {
            return row.map(UpstreamVersions::tarball);
        }
        String judged = e.get().judged().get(version);
        ObjectNode doc = upstreamDoc(uplink, name);
        if (!doc.path("versions").path(version).isObject()) {
            return Optional.empty();
        }
        if (judged != null) {
            // Kept as a held row, so the hold outlives the packument body that showed it.
            IngestedVersion held;
            try {
                held = ingest.hold(uplink, name, version, doc, judged);
            } finally {
                clients.invalidate(name);
            }
            if (held.served()) {
                return Optional.of(tarball(held));
            }
            throw forbidden(name + "@" + version + " is held: " + held.reason());
        }
        IngestedVersion v;
        try {
            v = ingest.ingest(uplink, name, version, doc);
        } finally {
            clients.invalidate(name);
        }
        if (!v.served()) {
            throw forbidden(name + "@" + version + " is held: " + v.reason());
        }
        return Optional.of(tarball(v));
    }

    /** Refuses a version hidden or restricted in {@code e} with the reason. */
    void refuseIfHidden(ClientPackuments.Entry e, String name, String version) {
        if (e.rendered().young().contains(version)) {
            throw forbidden(tooYoung(name, version));
        }
        String reason = e.rendered().restricted().get(version);
        if (reason != null) {
            throw forbidden(name + "@" + version + ": " + reason);
        }
    }

    Optional<byte[]> attestations(
            Uplink uplink,
            String name,
            String version,
            Supplier<Optional<ClientPackuments.Entry>> entry) {
        if (!canonical(version)) {
            return Optional.empty();
        }
        Optional<IngestedVersion> row =
                parts.store().read(tx -> tx.upstreams().version(name, version));
        if (row.isPresent() && row.get().attestations() != null) {
            return Optional.of(row.get().attestations());
        }
        Optional<ClientPackuments.Entry> e = entry.get();
        if (e.isEmpty() || e.get().rendered().young().contains(version)) {
            return Optional.empty();
        }
        JsonNode url =
                upstreamDoc(uplink, name)
                        .path("versions")
                        .path(version)
                        .path("dist")
                        .path("attestations")
                        .path("url");
        if (!url.isTextual()) {
            return Optional.empty();
        }
        URI at;
        try {
            // The path the upstream names, at the uplink's own origin (never another host).
            at = UpstreamVersion.attestationsUri(uplink, url.asText());
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
        Upstream.Response r = get(uplink, at, "application/json", MAX_ATTESTATIONS);
        return switch (r.status()) {
            case 200 -> Optional.of(r.body());
            case 404 -> Optional.empty();
            default ->
                    throw new Problem(
                            Problem.Kind.BAD_GATEWAY,
                            "uplink "
                                    + uplink.name()
                                    + " answered HTTP "
                                    + r.status()
                                    + " for the attestations of "
                                    + name
                                    + "@"
                                    + version);
        };
    }

    Optional<String> upstreamHas(Uplink uplink, String name) {
        if (upstream.cached(uplink, name).isPresent()) {
            return Optional.of(uplink.name());
        }
        Upstream.Response r;
        try {
            r =
                    parts.upstream()
                            .get(
                                    uplink,
                                    UpstreamPackuments.uri(uplink, name),
                                    "application/vnd.npm.install-v1+json",
                                    null,
                                    UpstreamPackuments.MAX_BYTES);
        } catch (IOException e) {
            throw cannotAsk(uplink, name, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cannotAsk(uplink, name, "interrupted");
        }
        return switch (r.status()) {
            case 200 -> Optional.of(uplink.name());
            case 404, 410 -> Optional.empty();
            default -> throw cannotAsk(uplink, name, "it answered HTTP " + r.status());
        };
    }

    private static Problem cannotAsk(Uplink uplink, String name, String why) {
        return new Problem(
                Problem.Kind.UNAVAILABLE,
                "uplink "
                        + uplink.name()
                        + " could not be asked whether "
                        + name
                        + " exists there: "
                        + why);
    }

    private Upstream.Response get(Uplink uplink, URI uri, String accept, long limit) {
        try {
            return parts.upstream().get(uplink, uri, accept, null, limit);
        } catch (IOException e) {
            throw new Problem(
                    Problem.Kind.BAD_GATEWAY,
                    "uplink " + uplink.name() + " could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(
                    Problem.Kind.BAD_GATEWAY,
                    "uplink " + uplink.name() + " could not be reached: interrupted");
        }
    }

    /** The upstream packument as kept (it was validated when it was received). */
    private ObjectNode upstreamDoc(Uplink uplink, String name) {
        UpstreamPackument p =
                upstream.cached(uplink, name)
                        .orElseThrow(
                                () ->
                                        new Problem(
                                                Problem.Kind.BAD_GATEWAY,
                                                "no packument of "
                                                        + name
                                                        + " from uplink "
                                                        + uplink.name()
                                                        + " is kept"));
        return clients.parse(uplink, name, p.body());
    }

    private String tooYoung(String name, String version) {
        long hours = parts.settings().minimumReleaseAge().toHours();
        return name
                + "@"
                + version
                + " is younger than this registry's minimum release age of "
                + hours
                + " hours";
    }

    private static Proxy.Tarball tarball(IngestedVersion v) {
        return new Proxy.Tarball(v.blobKey(), v.size(), v.integrity());
    }

    private static Problem forbidden(String message) {
        return new Problem(Problem.Kind.FORBIDDEN, message);
    }

    /**
     * Whether {@code version} is written as the packument's keys are ("1.0.0", not "v1.0.0" or "
     * 1.0.0"): the age gate and quarantines compare those exact strings, so another spelling of a
     * version must not reach the ingest beside them.
     */
    static boolean canonical(String version) {
        Semver v = Semver.parse(version);
        return v != null && v.getVersion().equals(version);
    }
}
