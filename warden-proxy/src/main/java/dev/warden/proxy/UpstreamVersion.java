package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.verify.Integrity;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What an upstream version's document, and the row of its ingest, say. */
final class UpstreamVersion {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamVersion() {}

    static Optional<NpmProvenance> verifiedProvenance(IngestedVersion row) {
        try {
            JsonNode p = JSON.readTree(row.verified()).path("verified").path("provenance");
            return p.isObject() ? Optional.of(NpmProvenance.fromSummary(p)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The integrity the upstream gives: {@code dist.integrity}, else its sha1 {@code shasum}. */
    static String upstreamIntegrity(JsonNode dist) {
        String integrity = dist.path("integrity").asText(null);
        if (integrity == null && dist.hasNonNull("shasum")) {
            integrity = Integrity.sha1FromHex(dist.path("shasum").asText());
        }
        return integrity;
    }

    /** The integrity the upstream gave when the row was ingested (the row's own when the same). */
    static String upstreamIntegrity(IngestedVersion row) {
        try {
            JsonNode up = JSON.readTree(row.verified()).path("upstreamIntegrity");
            return up.isTextual() ? up.asText() : row.integrity();
        } catch (IOException e) {
            return row.integrity();
        }
    }

    /** Whether {@code integrity} (as an upstream gives it now) names the ingested tarball. */
    static boolean sameTarball(String integrity, IngestedVersion row) {
        try {
            List<Integrity.Hash> now = Integrity.parse(integrity);
            List<Integrity.Hash> then = new ArrayList<>(Integrity.parse(row.integrity()));
            JsonNode up = JSON.readTree(row.verified()).path("upstreamIntegrity");
            if (up.isTextual()) {
                then.addAll(Integrity.parse(up.asText()));
            }
            return Integrity.agree(now, then);
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    /**
     * Where the attestations a version announces are fetched: as npm does, the path of its {@code
     * dist.attestations.url} on the uplink's own origin. Leading slashes are one (a path {@code
     * //host/x} would otherwise name another host), and the result is checked to be on the uplink's
     * origin before anyone asks it.
     *
     * @throws IllegalArgumentException when the URL is not one, or leads off the uplink's origin
     */
    static URI attestationsUri(Uplink uplink, String announced) {
        String path = URI.create(announced).getRawPath();
        URI uri = uplink.url().resolve((path == null ? "" : path).replaceFirst("^/+", "/"));
        if (!sameOrigin(uri.toString(), uplink.url())) {
            throw new IllegalArgumentException(
                    Integrity.shorten(announced) + " leads off uplink " + uplink.name());
        }
        return uri;
    }

    /** Whether {@code url} is an http(s) URL on the uplink's origin (scheme, host and port). */
    static boolean sameOrigin(String url, URI uplink) {
        try {
            URI u = URI.create(url);
            return u.getScheme() != null
                    && u.getHost() != null
                    && u.getScheme().equalsIgnoreCase(uplink.getScheme())
                    && u.getHost()
                            .toLowerCase(Locale.ROOT)
                            .equals(uplink.getHost().toLowerCase(Locale.ROOT))
                    && port(u) == port(uplink);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** This registry's own signature kept with a served row, for its {@code dist.signatures}. */
    static Optional<JsonNode> ownSignature(IngestedVersion row) {
        try {
            JsonNode s = JSON.readTree(row.verified()).path("signature");
            return s.isObject() ? Optional.of(s) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
