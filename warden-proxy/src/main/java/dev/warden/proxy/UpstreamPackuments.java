package dev.warden.proxy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.UpstreamPackument;
import dev.warden.verify.Integrity;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream packuments as received, kept through {@code tx.upstreams()}.
 *
 * <p>A cached copy checked within the uplink's {@code maxAge} is used as it is. Otherwise the
 * uplink is asked for the full document ({@code time}, {@code _npmUser}, signatures and
 * attestations are only in it) with the cached ETag: 304 marks the copy checked; a valid 200
 * replaces it; anything else changes nothing cached. What the uplink did wrong is an event, and the
 * cached copy stands in: stale when the uplink could not be asked or answered garbage, not stale
 * when it says the package is gone (an upstream unpublish does not erase what was verified here).
 */
final class UpstreamPackuments {

    static final long MAX_BYTES = 64L << 20;

    /**
     * After an uplink could not be reached, it is not asked again for this long: cached copies are
     * served stale at once instead of every request waiting for the uplink's timeout.
     */
    static final Duration RETRY_AFTER = Duration.ofSeconds(15);

    /**
     * Strict JSON: one value, no duplicate keys (two readers of one body must see one document).
     */
    static final ObjectMapper STRICT =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    /**
     * A copy to serve.
     *
     * @param doc the parsed body when it was parsed here (a fresh fetch), else null
     * @param stale true when the uplink could not be asked or answered garbage
     */
    record Copy(UpstreamPackument packument, ObjectNode doc, boolean stale) {}

    private final MetadataStore store;
    private final Upstream upstream;
    private final UplinkEvents events;
    private final Clock clock;
    private final Map<String, Down> down = new ConcurrentHashMap<>();

    private record Down(Instant until, String why) {}

    UpstreamPackuments(MetadataStore store, Upstream upstream, UplinkEvents events, Clock clock) {
        this.store = store;
        this.upstream = upstream;
        this.events = events;
        this.clock = clock;
    }

    static URI uri(Uplink uplink, String name) {
        // npm's form for a scoped name: the scope's "/" encoded.
        return URI.create(uplink.url() + name.replace("/", "%2f"));
    }

    /** The cached copy of {@code name} received from {@code uplink}, without asking it. */
    Optional<UpstreamPackument> cached(Uplink uplink, String name) {
        return store.read(tx -> tx.upstreams().packument(name))
                .filter(p -> p.uplink().equals(uplink.name()));
    }

    /**
     * The packument of {@code name} from {@code uplink}: empty when the uplink has no such package
     * and nothing is cached.
     *
     * @throws Problem BAD_GATEWAY when the uplink fails and nothing is cached
     */
    Optional<Copy> get(Uplink uplink, String name) {
        Optional<UpstreamPackument> cached = cached(uplink, name);
        Instant now = clock.instant();
        if (cached.isPresent() && cached.get().checked().plus(uplink.maxAge()).isAfter(now)) {
            return Optional.of(new Copy(cached.get(), null, false));
        }
        Down d = down.get(uplink.name());
        if (d != null && d.until().isAfter(now)) {
            return unreachable(uplink, name, cached, d.why());
        }
        Upstream.Response r;
        try {
            r =
                    upstream.get(
                            uplink,
                            uri(uplink, name),
                            "application/json",
                            cached.map(UpstreamPackument::etag).orElse(null),
                            MAX_BYTES);
        } catch (IOException e) {
            return failed(uplink, name, cached, now, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(uplink, name, cached, "interrupted");
        }
        down.remove(uplink.name());
        return switch (r.status()) {
            case 200 -> received(uplink, name, cached, r, now);
            case 304 -> {
                if (cached.isEmpty() || cached.get().etag() == null) {
                    yield garbage(uplink, name, cached, "304 to a request without an ETag");
                }
                store.write(
                        tx -> {
                            tx.upstreams().checked(name, now);
                            return null;
                        });
                yield Optional.of(new Copy(checkedAt(cached.get(), now), null, false));
            }
            case 404, 410 -> {
                if (cached.isEmpty()) {
                    yield Optional.empty();
                }
                events.record(
                        uplink.name(),
                        "packument.gone",
                        name,
                        null,
                        "the uplink answered " + r.status() + "; the cached copy is kept");
                yield Optional.of(new Copy(cached.get(), null, false));
            }
            default -> failed(uplink, name, cached, now, "it answered HTTP " + r.status());
        };
    }

    private Optional<Copy> received(
            Uplink uplink,
            String name,
            Optional<UpstreamPackument> cached,
            Upstream.Response r,
            Instant now) {
        ObjectNode doc;
        try {
            JsonNode node = STRICT.readTree(r.body());
            if (node == null || !node.isObject()) {
                return garbage(uplink, name, cached, "the body is not a JSON object");
            }
            doc = (ObjectNode) node;
        } catch (JacksonException e) {
            return garbage(uplink, name, cached, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return garbage(uplink, name, cached, "the body is not JSON: " + e.getMessage());
        }
        String invalid = invalid(doc, name);
        if (invalid != null) {
            return garbage(uplink, name, cached, invalid);
        }
        // The same bytes again (an uplink without ETags): the copy keeps its identity, so it is not
        // judged and rendered again.
        Instant fetched =
                cached.isPresent() && Arrays.equals(cached.get().body(), r.body())
                        ? cached.get().fetched()
                        : now;
        UpstreamPackument p =
                new UpstreamPackument(
                        name, uplink.name(), r.body(), r.etag().orElse(null), fetched, now);
        store.write(
                tx -> {
                    tx.upstreams().putPackument(p);
                    return null;
                });
        return Optional.of(new Copy(p, doc, false));
    }

    /**
     * Why {@code doc} cannot be the packument of {@code name}, or null when it can: what the proxy
     * relies on (the name, the versions, each version's integrity) must be there.
     */
    static String invalid(ObjectNode doc, String name) {
        JsonNode n = doc.get("name");
        if (n == null || !n.isTextual() || !n.asText().equals(name)) {
            return "its name is "
                    + (n == null ? "missing" : n.toString())
                    + ", not \""
                    + name
                    + "\"";
        }
        JsonNode versions = doc.get("versions");
        if (versions == null || !versions.isObject()) {
            return "it has no \"versions\" object";
        }
        JsonNode tags = doc.get("dist-tags");
        if (tags != null && !tags.isObject()) {
            return "its \"dist-tags\" is not an object";
        }
        JsonNode time = doc.get("time");
        if (time != null && !time.isObject()) {
            return "its \"time\" is not an object";
        }
        for (Map.Entry<String, JsonNode> e : versions.properties()) {
            String why = invalidVersion(e.getValue());
            if (why != null) {
                return "version " + clip(e.getKey()) + " " + why;
            }
        }
        return null;
    }

    /**
     * Why a version's document cannot be judged and rendered, or null: the render and the judge
     * rely on an integrity (or a hex shasum) and on {@code dist.signatures} being a list.
     */
    private static String invalidVersion(JsonNode v) {
        if (!v.isObject()) {
            return "is not an object";
        }
        JsonNode dist = v.get("dist");
        if (dist == null || !dist.isObject()) {
            return "has no \"dist\" object";
        }
        JsonNode integrity = dist.get("integrity");
        JsonNode shasum = dist.get("shasum");
        if (integrity != null && !integrity.isNull()) {
            if (!integrity.isTextual()) {
                return "has a dist.integrity that is not a string";
            }
        } else if (shasum == null || !shasum.isTextual()) {
            return "has neither dist.integrity nor dist.shasum";
        } else if (Integrity.sha1FromHex(shasum.asText()) == null) {
            // without it the version would have no integrity at all to check the tarball by
            return "has no dist.integrity and a dist.shasum that is not hex";
        }
        JsonNode signatures = dist.get("signatures");
        if (signatures != null && !signatures.isArray()) {
            return "has a dist.signatures that is not a list";
        }
        return null;
    }

    private Optional<Copy> garbage(
            Uplink uplink, String name, Optional<UpstreamPackument> cached, String why) {
        events.record(uplink.name(), "packument.invalid", name, null, why);
        if (cached.isPresent()) {
            return Optional.of(new Copy(cached.get(), null, true));
        }
        throw new Problem(
                Problem.Kind.BAD_GATEWAY,
                "uplink "
                        + uplink.name()
                        + " answered an invalid packument for "
                        + name
                        + ": "
                        + why);
    }

    private Optional<Copy> failed(
            Uplink uplink,
            String name,
            Optional<UpstreamPackument> cached,
            Instant now,
            String why) {
        down.put(uplink.name(), new Down(now.plus(RETRY_AFTER), why));
        return unreachable(uplink, name, cached, why);
    }

    private Optional<Copy> unreachable(
            Uplink uplink, String name, Optional<UpstreamPackument> cached, String why) {
        events.record(uplink.name(), "uplink.unreachable", null, null, why);
        if (cached.isPresent()) {
            return Optional.of(new Copy(cached.get(), null, true));
        }
        throw new Problem(
                Problem.Kind.BAD_GATEWAY,
                "uplink " + uplink.name() + " could not be reached: " + why);
    }

    private static UpstreamPackument checkedAt(UpstreamPackument p, Instant at) {
        return new UpstreamPackument(p.name(), p.uplink(), p.body(), p.etag(), p.fetched(), at);
    }

    private static String clip(String s) {
        return "\"" + Problem.clip(s) + "\"";
    }
}
